"""The plain-text wire version: the wire writer and renderer, and the edition's wire text."""
