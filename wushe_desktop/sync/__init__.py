"""Bundles, keys, signing, encryption and verification. Takes data, not a session.

- :mod:`~wushe_desktop.sync.bundle`: write and verify bundles (``.wsb``);
- :mod:`~wushe_desktop.sync.receipt`: the centre's signed receipts (回执);
- :mod:`~wushe_desktop.sync.cards`: registration cards and key rotation statements;
- :mod:`~wushe_desktop.sync.deidentify`: the ``deidentified`` export profile;
- :mod:`~wushe_desktop.sync.keys`: key pairs and fingerprints;
- :mod:`~wushe_desktop.sync.errors`: the coded errors and the importer's check order.

Only the standard library, PyNaCl, :mod:`wushe_desktop.errors` and
:mod:`wushe_desktop.domain` are imported here. The format: ``docs/bundle-format.md``.
"""
