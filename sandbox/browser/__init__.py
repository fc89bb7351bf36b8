"""The text-mode browser: pages as accessibility-tree text with stable ids."""

from sandbox.browser.browser import Browser, BrowserError
from sandbox.browser.page import Element, Form, Page, parse_page

__all__ = ["Browser", "BrowserError", "Element", "Form", "Page", "parse_page"]
