from convoca.core.mail import builder, render_mail
from convoca.links.domain import links_for


@builder("links.all")
def links_mail(message):
    address, links = links_for(message.context.get("email_hash", ""), message.language)
    if address is None or not links:
        return None  # erased meanwhile
    return render_mail(address, "links/mail/links", {"links": links}, message.language)
