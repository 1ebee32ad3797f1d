"""draftgen: drafts Chinese Party self-review and rectification documents as editable Word files."""

__version__ = "0.1.0"
