"""Mail: the user's mailbox at ``https://api.mail.example/v1`` — folders, threads, search,
sending, and attachments that can be saved into the fake filesystem."""

from tools.mail.routes import MAIL
from tools.mail.tools import MAIL_TOOLS

__all__ = ["MAIL", "MAIL_TOOLS"]
