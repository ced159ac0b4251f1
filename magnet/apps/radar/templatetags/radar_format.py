"""Template filters of the radar's pages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(amount) -> str:
    """An amount in yuan with thousands grouped and two decimals, as on a payment slip.

    >>> yuan(Decimal("82800")), yuan(Decimal("30864.18")), yuan(None)
    ('82,800.00', '30,864.18', '')
    """
    if amount is None or amount == "":
        return ""
    return f"{Decimal(amount):,.2f}"
