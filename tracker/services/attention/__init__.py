"""Need to know: the overview and what asks for someone's attention.
Uses models, programme and groups; used by the overview, Mina sidor and e-mail.
Following and being told (follows, fanout, reminders, notifications, wording,
summaries), check-ins (checkins, invitations), calendars and feeds (calendar, feeds,
tokens) use models, activity, mail and programme; used by views and jobs.
"""
