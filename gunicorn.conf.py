"""gunicorn settings for the shipped image (Dockerfile, docker-compose.yml).

The access log names the path, never the query string or the referrer (either may carry a
search term: a name or an IIN), and every log record is masked where it is made
(``audit.masking``: 12-digit numbers and query strings), in the master and its workers.
"""

from audit.masking import install_record_masking

bind = "0.0.0.0:8000"
workers = 3
timeout = 120
accesslog = "-"
# %(U)s is the path without its query string; no %(r)s, %(q)s or %(f)s (referrer).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

install_record_masking()
