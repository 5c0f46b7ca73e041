"""Need to know: the overview and what asks for someone's attention.
Uses models, programme and groups; used by the overview, Mina sidor and e-mail.
"""
