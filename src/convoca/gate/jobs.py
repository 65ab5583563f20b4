from convoca.core.jobs import periodic
from convoca.gate import lanes, proof


@periodic("gate.forget", interval=lambda: 600)
def forget():
    return lanes.purge(), proof.purge()
