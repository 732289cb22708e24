"""Addresses of the page types the audits visit, in one place.

Some pages belong to work merged from other branches (find help: `referrals`; what we store,
staff login and statistics: `security`). The tests target these routes whether or not the page
exists yet, so a missing page fails loudly instead of being skipped.
"""

START = "/"
QUESTIONNAIRE = "/q"
SAFETY = "/q/start"  # the safety page before the first question (R2.4)
RESULT = "/q/result"
RESUME = "/resume"
FIND_HELP = "/help"
WHAT_WE_STORE = "/privacy"
LIBRARY = "/learn"
ARTICLE = "/learn/court-steps"  # the longest article, with lists and phone links
SHARE = "/share"
SHARE_FLYER = "/share/flyer"  # two sides: English, then the page's language (Spanish for en)
STAFF_LOGIN = "/staff/login"
STAFF_STATISTICS = "/staff/stats"
STAFF_AUDIT = "/staff/audit"
STAFF_REVIEW = "/staff/review"
NOT_FOUND = "/no-such-page"
ANSWERS = "/q/answers"  # the answers behind a result
PRINTABLE = "/q/result/print"  # the result in the page's language and English, side by side
