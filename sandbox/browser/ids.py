"""Element ids from what an element *is*, disambiguated inside its container.

Each element claims a base id from its role and its id, name, label or text (``link-open``,
``textbox-q``). Most claims are unique on the page and the base is the id. When several
elements claim the same base, one container keeps it and the others are qualified by their own
container's stable key — the nearest form, landmark or named list/section — never by a counter
over the page:

- the keeper is the container of the first claimant in the *main* tier (elements outside
  banners, headers, footers, asides, dialogs, alerts and status messages): a banner or dialog
  added to a page never takes an id from the content, and a second form added after the first
  (or in a banner) is told apart by its own key (``textbox-q-quick-search``);
- inside one container, same-named siblings are numbered by position (``link-open``,
  ``link-open-2``).

A page-wide ``-2`` is only the last resort for two containers with the same key.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Claim:
    token: str  # the provisional id used while the page is walked
    base: str  # role-slug, e.g. link-open
    tier: int  # 0: the page's content; 1: banner, footer, aside, dialog, alert, status
    scope: str  # the nearest container's key; "" for none
    order: int  # document order


def assign(claims: list[Claim]) -> dict[str, str]:
    """Provisional token → final id, for every claim."""
    groups: dict[str, list[Claim]] = {}
    for claim in claims:
        groups.setdefault(claim.base, []).append(claim)
    final: dict[str, str] = {}
    for base, members in groups.items():
        if len(members) == 1:
            final[members[0].token] = base
            continue
        keeper = min(members, key=lambda c: (c.tier, c.order)).scope
        seen: dict[str, int] = {}
        for claim in members:
            stem = base if claim.scope == keeper else f"{base}-{claim.scope or 'page'}"
            seen[stem] = seen.get(stem, 0) + 1
            final[claim.token] = stem if seen[stem] == 1 else f"{stem}-{seen[stem]}"
    taken: set[str] = set()
    # the last resort, never two alike: bare bases first, then in document order
    for claim in sorted(claims, key=lambda c: (final[c.token] != c.base, c.order)):
        wanted = candidate = final[claim.token]
        n = 1
        while candidate in taken:
            n += 1
            candidate = f"{wanted}-{n}"
        taken.add(candidate)
        final[claim.token] = candidate
    return final
