"""Notifications: e-mails customers about their orders."""

import logging
import smtplib

logger = logging.getLogger(__name__)

SMTP_HOST = "localhost"


def send(customer: str, subject: str, body: str) -> bool:
    logger.info("sending %r to %s", subject)
    try:
        with smtplib.SMTP(SMTP_HOST, timeout=3) as smtp:
            smtp.sendmail("shop@example.com", [customer], f"Subject: {subject}\n\n{body}")
    except OSError as exc:
        logger.warning("mail to %s failed: %s", customer, exc, extra={"module": "notify"})
        return False
    logger.info("mail to %(customer)s sent", {"to": customer})
    return True


def order_paid(order_id: int, customer: str, total: float) -> None:
    body = "Your order %d is paid (%.2f EUR)." % (order_id, total)
    if not send(customer, "Order paid", body):
        _report_failure(customer, order_id)


def _report_failure(customer: str, order_id: int) -> None:
    logger.error("could not notify %s about order %d", customer, order_id, exc_info=True)


def digest(customers, session_id: str) -> None:
    logger.debug("digest for %d customers in session %s", len(customers), session_id)
    for customer in customers:
        send(customer, "Your weekly digest", "...")
    logger.info("digest sent to %s customers, %s failed", len(customers))
