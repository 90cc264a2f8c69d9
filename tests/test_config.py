"""The config file: validated like routines, never fatal."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.config import EXAMPLE, Config, load_config, save_setting


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_config_gives_defaults_silently(tmp_path: Path) -> None:
    assert load_config(tmp_path / "config.yaml") == (Config(), [])


def test_example_config_is_valid(tmp_path: Path) -> None:
    config, problems = load_config(write(tmp_path, EXAMPLE))
    assert problems == []
    assert config.sound == "bell" and config.pre_walk_checkin is True


def test_every_setting_is_read(tmp_path: Path) -> None:
    config, problems = load_config(
        write(
            tmp_path,
            "sound: voice\npre_walk_checkin: false\ntheme: nord\n"
            "tts_command: termux-tts-speak {text}\ndefault_routine: gentle-back\n"
            "keys: {pause: pagedown, next: pageup}\n",
        )
    )
    assert problems == []
    assert config == Config(
        sound="voice",
        pre_walk_checkin=False,
        theme="nord",
        tts_command="termux-tts-speak {text}",
        default_routine="gentle-back",
        keys={"pause": "pagedown", "next": "pageup"},
    )


def test_bad_values_are_located_and_fall_back_to_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, "sound: loud\npre_walk_checkin: maybe\nthem: nord\n")
    config, problems = load_config(path)
    assert config == Config()
    assert problems == [
        f"{path}:1:8: error: sound: must be one of voice, bell, off; using the default",
        f"{path}:2:19: error: pre_walk_checkin: must be true or false; using the default",
        f"{path}:3:1: error: them: unknown setting, ignored; did you mean `theme`?",
    ]


def test_unknown_walk_action_in_keys_is_ignored(tmp_path: Path) -> None:
    path = write(tmp_path, "keys:\n  pause: pagedown\n  jump: x\n")
    config, problems = load_config(path)
    assert config.keys == {"pause": "pagedown"}
    assert problems[0].startswith(f"{path}:3:3: error: keys.jump: unknown walk action")


def test_broken_yaml_uses_defaults_with_a_located_message(tmp_path: Path) -> None:
    path = write(tmp_path, "sound: [\n")
    config, problems = load_config(path)
    assert config == Config()
    assert problems[0].startswith(f"{path}:2:1: error:")


def test_not_a_mapping_uses_defaults(tmp_path: Path) -> None:
    config, problems = load_config(write(tmp_path, "- a\n- b\n"))
    assert config == Config()
    assert "key: value" in problems[0]


def test_save_setting_replaces_the_line_and_keeps_comments(tmp_path: Path) -> None:
    path = write(tmp_path, "# mine\ntheme: nord  # dark\nsound: off\n")
    save_setting("theme", "gruvbox", path)
    assert path.read_text() == "# mine\ntheme: gruvbox\nsound: off\n"
    save_setting("pre_walk_checkin", "false", path)
    assert path.read_text().endswith("pre_walk_checkin: false\n")
    assert load_config(path)[0].theme == "gruvbox"


def test_the_beat_settings_are_read(tmp_path: Path) -> None:
    config, problems = load_config(
        write(
            tmp_path,
            "beat: phases\nbeat_volume: 35\ntts_wav_command: espeak-ng -w {file} {text}\n",
        )
    )
    assert problems == []
    assert (config.beat, config.beat_volume) == ("phases", 35)
    assert config.tts_wav_command == "espeak-ng -w {file} {text}"


@pytest.mark.parametrize(
    ("text", "beat", "sound"),
    [
        ("beat: off\nsound: off\n", "off", "off"),  # bare off is YAML's false
        ("beat: on\n", "on", "bell"),
        ("beat: 'off'\nsound: 'off'\n", "off", "off"),
        ("beat: false\n", "off", "bell"),
    ],
)
def test_bare_on_and_off_mean_what_they_say(
    tmp_path: Path, text: str, beat: str, sound: str
) -> None:
    config, problems = load_config(write(tmp_path, text))
    assert problems == []
    assert (config.beat, config.sound) == (beat, sound)


def test_bad_beat_values_are_located_and_fall_back_to_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "beat: loud\nbeat_volume: 150\ntts_wav_command: espeak-ng {text}\n",
    )
    config, problems = load_config(path)
    assert (config.beat, config.beat_volume, config.tts_wav_command) == ("on", 60, None)
    assert problems == [
        f"{path}:1:7: error: beat: must be one of on, off, phases; using the default",
        f"{path}:2:14: error: beat_volume: must be a whole number from 0 to 100; using the default",
        f"{path}:3:18: error: tts_wav_command: needs {{file}}, where the speech is to be "
        "written; using the default",
    ]


@pytest.mark.parametrize("value", ["-1", "12.5", "0x20", "1:30", "sixty", "''", "101"])
def test_a_beat_volume_must_be_a_plain_whole_number_from_0_to_100(
    tmp_path: Path, value: str
) -> None:
    config, problems = load_config(write(tmp_path, f"beat_volume: {value}\n"))
    assert config.beat_volume == 60
    assert len(problems) == 1 and "beat_volume" in problems[0]


def test_beat_is_a_walk_action_that_can_be_remapped(tmp_path: Path) -> None:
    config, problems = load_config(write(tmp_path, "keys: {beat: f5}\n"))
    assert problems == [] and config.keys == {"beat": "f5"}


def test_plan_and_dose_settings_are_read(tmp_path: Path) -> None:
    config, problems = load_config(
        write(tmp_path, 'plan_time: "6:05"\nmoderate_cadence: 110\nweekly_target: 180\n')
    )
    assert problems == []
    assert (config.plan_time, config.moderate_cadence, config.weekly_target) == ("06:05", 110, 180)


def test_plan_and_dose_settings_default_to_07_30_100_and_150(tmp_path: Path) -> None:
    config = Config()
    assert (config.plan_time, config.moderate_cadence, config.weekly_target) == ("07:30", 100, 150)


def test_bad_plan_and_dose_settings_are_located_and_keep_their_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, 'plan_time: "24:00"\nmoderate_cadence: 300\nweekly_target: lots\n')
    config, problems = load_config(path)
    assert config == Config()
    assert problems == [
        f'{path}:1:12: error: plan_time: must be a time of day as "HH:MM", e.g. "07:30"; '
        "using the default",
        f"{path}:2:19: error: moderate_cadence: must be a whole number of steps a minute "
        "from 40 to 180; using the default",
        f"{path}:3:16: error: weekly_target: must be a whole number of minutes from 1 to "
        "10080; using the default",
    ]
