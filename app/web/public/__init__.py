"""The respondents' site: chat, results, pages and find-help."""
