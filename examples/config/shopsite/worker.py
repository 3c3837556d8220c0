"""Background worker: sends order e-mails."""

import logging
import logging.handlers


def get_logger(name):
    logger = logging.getLogger(name)
    handler = logging.handlers.RotatingFileHandler("worker.log", maxBytes=50_000_000)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger


def send_confirmations(order_ids):
    for order_id in order_ids:
        log = get_logger("shopsite.worker")
        log.info("sending confirmation for order %s", order_id)
