"""Catalogue feeds for Meta (Facebook, Instagram) and Google Merchant Center, and the pictures they show."""
