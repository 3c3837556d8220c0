"""Order intake: validates orders, reserves stock and hands them to payments."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Dict, List

from shop import inventory, payments

MAX_ITEMS = 50


@dataclass
class Order:
    id: int
    customer: str
    items: Dict[str, int] = field(default_factory=dict)
    total: float = 0.0
    status: str = "new"


class OrderError(Exception):
    pass


def validate(order: Order) -> None:
    logging.debug(f"validating order {order.id} for {order.customer!r}")
    if not order.items:
        logging.warn("order %s has no items" % order.id)
        raise OrderError("empty order")
    count = sum(order.items.values())
    if count > MAX_ITEMS:
        logging.warning("order {} has {} items (max {})".format(order.id, count, MAX_ITEMS))
        raise OrderError("too many items")
    logging.info(f"order {order.id}: {count} items, total {order.total:.2f} EUR")


def submit(order: Order) -> str:
    validate(order)
    try:
        inventory.reserve(order.items)
    except inventory.OutOfStock as exc:
        logging.error("cannot reserve stock for order " + str(order.id) + ": " + str(exc))
        order.status = "rejected"
        return order.status
    receipt = payments.charge(order.customer, order.total)
    if receipt is None:
        logging.fatal(f"payment failed for order {order.id}, releasing stock")
        inventory.release(order.items)
        order.status = "failed"
        return order.status
    logging.log(20, "order %s paid, receipt %s", order.id, receipt)
    order.status = "paid"
    return order.status


def submit_all(orders: List[Order]) -> Dict[str, int]:
    results: Dict[str, int] = {}
    for order in orders:
        try:
            status = submit(order)
        except OrderError as exc:
            logging.info(f"order {order.id} rejected: {exc}")
            status = "invalid"
        results[status] = results.get(status, 0) + 1
    logging.info("processed %d orders: %s" % (len(orders), results))
    return results
