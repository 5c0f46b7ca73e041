"""The monthly digest: facts from the activity log, the template, drafts and their
states, the outlook, publishing to the built-in blog, WordPress and e-mail, and the
calendar of months. Uses models, activity, programme and mail.
"""
