"""Sound made from the beat stream: a walk rendered to a WAV file, and live playback.

`render` writes files (and runs text-to-speech processes); `live` plays through
miniaudio and is imported only when a walk starts with the beat on. The samples
themselves come from the pure `coach.core.beat`.
"""
