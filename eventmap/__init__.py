"""A living event-storming map, generated from the code, never drawn by hand.

- ``discover``: the map as data (``model.EventMap``): the actors and their GraphQL
  mutations (``commands``), the events each command records, the listeners' rule tables
  and the read models their rules write (``consumers``), the failure policy that turns a
  failing rule into a ``fault`` event (``policies``), and the event lake.
- ``render_svg`` / ``render_page``: the map as a self-contained SVG (``layout``, ``svg``)
  and as an HTML page with a legend (``page``).
- ``python -m eventmap`` writes docs/event-map.svg and docs/event-map.html; the unit
  tests fail while those differ from what the code gives (docs/event-map.md).
"""

from eventmap.discover import discover
from eventmap.model import EventMap
from eventmap.page import render_page
from eventmap.svg import render_svg

__all__ = ["EventMap", "discover", "render_page", "render_svg"]
