"""Payments: talks to the card processor."""

import logging
import time

logger = logging.getLogger(__name__)

API_URL = "https://payments.example.com/v2/charge"


class GatewayError(Exception):
    pass


class Gateway:
    def __init__(self, api_key: str, timeout: float = 5.0):
        self.api_key = api_key
        self.timeout = timeout
        self.log = logging.getLogger("shop.payments.gateway")

    def post(self, customer: str, amount: float) -> dict:
        self.log.debug("POST %s customer=%s api_key=%s", API_URL, customer, self.api_key)
        if amount <= 0:
            raise GatewayError(f"invalid amount {amount}")
        return {"id": f"rcpt-{customer}-{int(time.time())}", "amount": amount}


_gateway = Gateway(api_key="sk_live_example")


def charge(customer: str, amount: float, card_token: str = "tok_visa"):
    logger.info("charging %s %.2f EUR with card %s", customer, amount, card_token)
    try:
        receipt = _gateway.post(customer, amount)
    except GatewayError as e:
        logger.error("charge failed for %s", customer, exc_info=True)
        return None
    except Exception as e:
        logger.exception(e)
        return None
    return receipt["id"]


def refund(receipt_id: str, password: str) -> bool:
    logger.info(f"refund {receipt_id} authorised with password {password}")
    if not receipt_id.startswith("rcpt-"):
        logger.exception("not a receipt id: %s", receipt_id)
        return False
    try:
        _gateway.post("refund", -1)
    except Exception:
        pass
    return True


def capture(receipt_id: str, amount: float) -> bool:
    try:
        _gateway.post(receipt_id, amount)
    except GatewayError:
        logger.exception("capture of %s failed", receipt_id, exc_info=True)
        return False
    return True


def retry_pending(receipts):
    done = 0
    for receipt_id in receipts:
        try:
            refund(receipt_id, password="")
            done += 1
        except:
            continue
    logger.info("retried %d of %d refunds", done, len(receipts))
    return done
