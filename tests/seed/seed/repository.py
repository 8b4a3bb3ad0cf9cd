"""Stand-in for the seed's abstract base class (not part of the seed as shared)."""


class ChatRepository:
    pass
