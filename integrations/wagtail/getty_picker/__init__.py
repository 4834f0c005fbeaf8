"""getty-picker in Wagtail: a model field and a StreamField block that keep a Getty image chosen
in the page editor, and the forward-auth view that decides who gets a Getty token."""
