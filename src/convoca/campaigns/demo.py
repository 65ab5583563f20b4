"""The invented, neutral demo campaign. Every name, organization and address here is made up."""

CAMPAIGN = {
    "slug": "rivers-day",
    "languages": ["en", "es", "fr", "ar"],
    "texts": {
        "en": (
            "Rivers Day coalition",
            "An invented coalition of groups that look after rivers, used to show Convoca.",
            "We use your e-mail address only to confirm your endorsement. It is stored encrypted and never "
            "shown. Your name is listed only if you ask for it. You can withdraw at any time.",
        ),
        "es": (
            "Coalición Día de los Ríos",
            "Una coalición inventada de grupos que cuidan los ríos, para mostrar Convoca.",
            "Usamos tu correo solo para confirmar tu adhesión. Se guarda cifrado y nunca se muestra. Tu nombre "
            "aparece en la lista solo si lo pides. Puedes retirarte cuando quieras.",
        ),
        "fr": (
            "Coalition Journée des rivières",
            "Une coalition inventée de groupes qui prennent soin des rivières, pour montrer Convoca.",
            "Nous utilisons votre adresse uniquement pour confirmer votre signature. Elle est chiffrée et jamais "
            "affichée. Votre nom n'est publié que si vous le demandez. Vous pouvez vous retirer à tout moment.",
        ),
        "ar": (
            "تحالف يوم الأنهار",
            "تحالف متخيَّل من مجموعات تعتني بالأنهار، لعرض منصة كونفوكا.",
            "نستخدم بريدك الإلكتروني فقط لتأكيد توقيعك. يُحفظ مشفّرًا ولا يُعرض أبدًا. لا يُنشر اسمك إلا إذا "
            "طلبت ذلك. يمكنك سحب توقيعك في أي وقت.",
        ),
    },
}

STATEMENT = {
    "slug": "clean-rivers-call",
    "goal": 1000,
    "texts": {
        "en": (
            "A call for clean and living rivers",
            "Rivers give **water, food and life** to billions of people. Across the world, they are "
            "being dammed, drained and polluted faster than they can recover.\n\n"
            "We, the undersigned organizations and people, call on every government to:\n\n"
            "1. stop untreated waste from reaching rivers by 2030;\n"
            "2. give the communities who live by rivers a say in every decision about them;\n"
            "3. publish river water quality data openly, every month.\n\n"
            "> A river is a commons. Its health is everyone's business.\n\n"
            "Add your name, and join a local action on **Rivers Day**.",
        ),
        "es": (
            "Un llamado por ríos limpios y vivos",
            "Los ríos dan **agua, alimento y vida** a miles de millones de personas. En todo el mundo se "
            "represan, se secan y se contaminan más rápido de lo que pueden recuperarse.\n\n"
            "Las organizaciones y personas firmantes pedimos a todos los gobiernos:\n\n"
            "1. impedir que lleguen residuos sin tratar a los ríos antes de 2030;\n"
            "2. dar voz a las comunidades ribereñas en cada decisión que les afecte;\n"
            "3. publicar cada mes, en abierto, los datos de calidad del agua.\n\n"
            "> Un río es un bien común. Su salud es asunto de todas y todos.\n\n"
            "Suma tu nombre y únete a una acción local el **Día de los Ríos**.",
        ),
        "fr": (
            "Un appel pour des rivières propres et vivantes",
            "Les rivières donnent **de l'eau, de la nourriture et la vie** à des milliards de personnes. "
            "Partout dans le monde, elles sont barrées, asséchées et polluées plus vite qu'elles ne se "
            "rétablissent.\n\n"
            "Nous, organisations et personnes signataires, demandons à chaque gouvernement :\n\n"
            "1. d'empêcher tout rejet de déchets non traités dans les rivières d'ici 2030 ;\n"
            "2. de donner la parole aux communautés riveraines dans chaque décision qui les concerne ;\n"
            "3. de publier chaque mois, en accès libre, les données de qualité de l'eau.\n\n"
            "> Une rivière est un bien commun. Sa santé est l'affaire de toutes et tous.\n\n"
            "Ajoutez votre nom et rejoignez une action locale lors de la **Journée des rivières**.",
        ),
        "ar": (
            "نداء من أجل أنهار نظيفة وحيّة",
            "تمنح الأنهار **الماء والغذاء والحياة** لمليارات البشر. وفي أنحاء العالم تُسدّ وتُجفَّف وتُلوَّث "
            "أسرع مما تستطيع أن تتعافى.\n\n"
            "نحن المنظمات والأفراد الموقّعين أدناه ندعو كل الحكومات إلى:\n\n"
            "1. وقف وصول النفايات غير المعالجة إلى الأنهار بحلول عام 2030؛\n"
            "2. إشراك المجتمعات التي تعيش على ضفاف الأنهار في كل قرار يخصّها؛\n"
            "3. نشر بيانات جودة مياه الأنهار علنًا كل شهر.\n\n"
            "> النهر ملكٌ مشترك، وصحته شأن الجميع.\n\n"
            "أضف اسمك، وانضم إلى تحرّك محلي في **يوم الأنهار**.",
        ),
    },
}

# (name, country, city, language) — invented people who chose to be listed.
PEOPLE = [
    ("Ana Souza", "BR", "Recife", "es"), ("Lucas Pereira", "BR", "Porto Alegre", "es"),
    ("Mariana Costa", "BR", "Belém", "es"), ("Julieta Romero", "AR", "Rosario", "es"),
    ("Tomás Álvarez", "AR", "Córdoba", "es"), ("Valentina Díaz", "AR", "Mendoza", "es"),
    ("Camille Martin", "FR", "Lyon", "fr"), ("Hugo Bernard", "FR", "Nantes", "fr"),
    ("Léa Dubois", "FR", "Toulouse", "fr"), ("Amadou Diallo", "SN", "Saint-Louis", "fr"),
    ("Fatou Ndiaye", "SN", "Dakar", "fr"), ("Ousmane Sow", "SN", "Ziguinchor", "fr"),
    ("ليلى حداد", "JO", "إربد", "ar"), ("عمر الخطيب", "JO", "عمّان", "ar"),
    ("سارة منصور", "JO", "الزرقاء", "ar"), ("Priya Nair", "IN", "Kochi", "en"),
    ("Arjun Mehta", "IN", "Pune", "en"), ("Kavya Iyer", "IN", "Chennai", "en"),
    ("Emma Clarke", "GB", "Leeds", "en"), ("Oliver Hughes", "GB", "Cardiff", "en"),
]  # fmt: skip

# (organization, website, country, contact name, role)
ORGANIZATIONS = [
    ("Riverbank Neighbours Network", "https://example.org/riverbank", "GB", "Sam Taylor", "Coordinator"),
    ("Red Ribereña del Sur", "https://example.org/red-riberena", "AR", "Paula Gómez", "Secretaria"),
    ("Collectif Eaux Vives", "https://example.org/eaux-vives", "FR", "Claire Petit", "Présidente"),
    ("جمعية أصدقاء النهر", "https://example.org/river-friends", "JO", "خالد يوسف", "منسّق"),
]  # fmt: skip

PENDING_ORGANIZATION = (
    "Valley Water Watch",
    "https://example.org/valley-watch",
    "IN",
    "Ravi Kumar",
    "Volunteer",
)

# (title, language, kind, local start, local end, venue, city, country, latitude, longitude, group)
ACTIONS = [
    ("Marcha por los ríos", "es", "march", "2027-03-22T18:30", "2027-03-22T21:00", "Plaza de Mayo",
     "Buenos Aires", "AR", -34.6083, -58.3712, "Vecinos del Riachuelo"),
    ("Veillée au bord de la Saône", "fr", "vigil", "2027-03-22T19:00", "2027-03-22T20:30", "Quai Saint-Vincent",
     "Lyon", "FR", 45.7676, 4.8270, "Collectif Eaux Vives"),
    ("River clean-up and picnic", "en", "cultural", "2027-03-22T10:00", "2027-03-22T14:00", "Riverside Park",
     "Leeds", "GB", 53.7940, -1.5480, "Riverbank Neighbours Network"),
    ("وقفة على ضفاف نهر الأردن", "ar", "rally", "2027-03-22T17:00", None, "ساحة البلدية",
     "Irbid", "JO", 32.5556, 35.8500, "جمعية أصدقاء النهر"),
]  # fmt: skip
