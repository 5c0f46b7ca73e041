"""The monthly digest's pages: drafts and publishing, versions and history, the
template and WordPress settings. One blueprint, "digests", with nested parts.
"""
