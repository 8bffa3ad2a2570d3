"""hfapi: a faithful client for the Hugging Face Hub API."""
