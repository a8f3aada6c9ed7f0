"""The model hub: find GGUF models on the Hugging Face Hub, size them for this machine,
and download them so that a file is offered as a model only once it is whole and verified.

Headless (no Qt): the CLI uses it now, the window's Models page later.
"""
