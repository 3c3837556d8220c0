"""Inventory: stock levels kept in memory."""

import logging
from pprint import pprint
from typing import Dict

log = logging.getLogger(__file__)
audit = logging.Logger("shop.audit")

STOCK: Dict[str, int] = {"apple": 10, "pear": 4, "plum": 0}


class OutOfStock(Exception):
    pass


def configure(verbose: bool) -> None:
    if verbose:
        log.setLevel(10)
    else:
        log.setLevel("info")


def reserve(items: Dict[str, int]) -> None:
    for sku, qty in items.items():
        available = STOCK.get(sku, 0)
        if available < qty:
            print("out of stock:", sku, "wanted", qty, "have", available)
            raise OutOfStock(sku)
    for sku, qty in items.items():
        STOCK[sku] -= qty
        audit.info("reserved %d x %s", qty, sku)
    log.debug("stock after reservation: %s", STOCK)


def release(items: Dict[str, int]) -> None:
    for sku, qty in items.items():
        STOCK[sku] = STOCK.get(sku, 0) + qty
    print(f"released {len(items)} skus")


def report() -> None:
    pprint(STOCK)
    empty = [sku for sku, qty in STOCK.items() if qty == 0]
    if empty:
        log.warn("empty: %s", ", ".join(empty))
