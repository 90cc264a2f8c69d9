"""The footer of every screen: Textual's Footer, laid out again only when its keys change.

Textual's Footer rebuilds its key widgets whenever the screen's bindings *may* have
changed: every focus change and every screen-stack change, about 15-20 ms each. Home
saw seven such rebuilds in its first half second, each delaying the frame after it,
though the keys shown were the same. This one rebuilds when what it shows differs, and
before the app's first frame it builds at once, so that frame has the keys (Textual's
Footer shows them a frame later).
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

# What the footer shows, per key: key, shown key, description, action, enabled, tooltip.
_Shown = tuple[tuple[str, str, str, str, bool, str], ...]


class KeyFooter(Footer):
    """A Footer that recomposes only when the keys it would show change."""

    _shown: _Shown | None = None
    _pending = False

    def _keys_shown(self, screen: Screen[object]) -> _Shown:
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING if self.show_command_palette else None
        return tuple(
            (
                binding.key,
                app.get_key_display(binding),
                binding.description,
                binding.action,
                enabled,
                tooltip,
            )
            for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == palette
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            shown = self._keys_shown(screen)
            if shown != self._shown:
                self._shown = shown
                if not self._pending:  # one rebuild shows the latest keys
                    self._pending = True
                    # Keys known before the app's first frame go into it; later ones
                    # wait for the frame in progress. (Outside CoachApp: the latter.)
                    if getattr(self.app, "frame_shown", True):
                        self.call_after_refresh(self._rebuild)
                    else:
                        self.call_next(self._rebuild)

    async def _rebuild(self) -> None:
        self._pending = False
        await self.recompose()
