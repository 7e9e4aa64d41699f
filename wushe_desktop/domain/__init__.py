"""Plain-Python domain: enums, taxonomies, validation rules and the case stage machine.

Standard library only (checked by import-linter).
"""
