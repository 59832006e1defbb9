"""The pages of the movements app, one module per concern (``movements/urls.py`` names them)."""
