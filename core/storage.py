from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed, hashed storage, also rewriting JavaScript module imports.

    `static/js/govuk-init.js` imports GOV.UK Frontend's module by path; with the import
    rewritten to the hashed name, every static file can be cached as immutable, and a new
    release can never run a new script against an old, cached module.
    """

    support_js_module_import_aggregation = True
