"""AWS Lambda handler: resizes uploaded product images."""

import logging
import logging.handlers

import watchtower

logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s %(message)s")
logger = logging.getLogger(__name__)
logger.addHandler(watchtower.CloudWatchLogHandler(log_group_name="image-resizer", log_group_retention_days=14))
logger.addHandler(logging.handlers.RotatingFileHandler("/tmp/resizer.log", maxBytes=1_000_000, backupCount=2))


def lambda_handler(event, context):
    for record in event.get("Records", []):
        key = record["s3"]["object"]["key"]
        logger.info("resizing %s", key)
    return {"status": "ok"}
