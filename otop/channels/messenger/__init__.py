"""Messenger: the Facebook page's chat (webhook, search carousels, the staff inbox, the Send API)."""
