"""The Textual shell: screens and widgets. Imported only by commands that open the app."""
