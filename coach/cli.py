"""The `coach` command line.

Commands that do not open the app (routines, history, checkin) must not import Textual:
it costs more start-up time than the whole command should take. Rich is imported only by
commands that draw tables.
"""

from __future__ import annotations

import contextlib
import gc
import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from coach import __version__
from coach.entry import on_terminal, replace_unencodable
from coach.paths import HOME_ENV

if TYPE_CHECKING:
    from datetime import date

    from coach.audio.walk_beat import BeatChoice
    from coach.config import Config
    from coach.core.checkin import Checkin, Scale
    from coach.core.programme import ProgrammeLoadResult
    from coach.core.routine import LoadResult
    from coach.core.trends import WalkOutcome
    from coach.library.routines import RoutineEntry
    from coach.sound import SoundMode
    from coach.store import Store
    from coach.store.codec import DamagedRow

NOT_MEDICAL_ADVICE = (
    "coach is not medical advice. If your back pain is severe, new, or comes with "
    "numbness, weakness or trouble with bladder or bowels, see a doctor."
)


class FiniteRange(click.FloatRange):
    """A number in a range; `nan` (which compares false with everything) is not one."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a number", param, ctx)
        return number


class UserError(click.ClickException):
    """A user-level failure (invalid routine, not found): one line, exit 1."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        from coach.core.text import visible_text

        # Messages name paths the person typed: control characters are shown, not sent.
        click.echo(f"coach: {visible_text(self.format_message())}", err=True)


def _set_home(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return value
    if not value.strip():
        raise click.BadParameter("must name a folder, not an empty string")
    try:
        os.environ[HOME_ENV] = str(Path(value).expanduser())
    except (RuntimeError, ValueError) as exc:  # `~nobody`, a NUL byte
        raise click.BadParameter(f"{value!r} is not a folder coach can use ({exc})") from None
    return value


class CoachGroup(click.Group):
    """The command group; before anything else runs, output that can't fail on encoding."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        replace_unencodable()
        return super().main(*args, **kwargs)


@click.group(
    cls=CoachGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=NOT_MEDICAL_ADVICE,
)
@click.option(
    "--home",
    metavar="DIR",
    callback=_set_home,
    expose_value=False,
    is_eager=True,
    help=f"Keep the database, config and routines under DIR (same as {HOME_ENV}=DIR).",
)
@click.version_option(__version__, "--version", prog_name="coach")
@click.pass_context
def main(ctx: click.Context) -> None:
    """coach: a terminal walking coach for people who walk with a stiff or sore back.

    Guided walks at your routine's cadence (heel strike, hip rotation, arm swing),
    routines you write in YAML, and back check-ins that show whether walking helps.
    """
    if HOME_ENV in os.environ and not os.environ[HOME_ENV].strip():
        # Set but empty is a mistake (`COACH_HOME=$UNSET`), not "the default folders":
        # coach must not quietly read and write the real data instead.
        raise click.UsageError(f"{HOME_ENV} is set but empty; unset it or name a folder")
    home = os.environ.get(HOME_ENV)
    if home:
        _check_home(Path(home).expanduser())
    if ctx.invoked_subcommand is None:
        _open_app(start=None, sound=None, checkin=True, speed=1.0, beat=None)


def _check_home(home: Path) -> None:
    """A home folder no file system can take (a name longer than the OS allows) is one
    clear error here, not a traceback from whichever file is opened first."""
    try:
        os.stat(home)
    except (FileNotFoundError, NotADirectoryError):
        return  # created when needed, or reported then
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UserError(f"cannot use the folder {home}: {reason}") from None


@main.command("walk")
@click.argument("routine", required=False)
@click.option(
    "--sound",
    type=click.Choice(["voice", "bell", "off"]),
    help="Voice (text-to-speech), the terminal bell, or silence. Default: the config's, else bell.",
)
@click.option(
    "--beat/--no-beat",
    default=None,
    help="A click on every step (k switches it during the walk). Default: the config's, "
    "else on; off in a --speed preview.",
)
@click.option("--no-checkin", is_flag=True, help="Skip the check-ins before and after the walk.")
@click.option("--plain", is_flag=True, help="No full-screen UI: one line per event on stdout.")
@click.option(
    "--speed",
    type=FiniteRange(1, 600),
    default=1.0,
    metavar="N",
    help="Run the clock N times faster (1–600) to preview a routine; above 1 not recorded.",
)
def walk(
    routine: str | None,
    sound: str | None,
    beat: bool | None,
    no_checkin: bool,
    plain: bool,
    speed: float,
) -> None:
    """Walk ROUTINE (a file, one of yours, or a built-in) with step-by-step guidance.

    Without ROUTINE: the config's default_routine, else pick one on the home screen.
    Keys: space pause · n next · b back · +/- cadence · m sound · k beat · q end · ? help.
    """
    if not plain:
        # The app collects no garbage until its first frame (coach.tui.launch.run_app):
        # nor while its config and routine are read here.
        gc.disable()
    from coach.audio.walk_beat import BeatChoice
    from coach.config import load_config

    config, problems = load_config()
    name = routine or config.default_routine
    if plain:
        for problem in problems:
            _warn(problem)
        if name is None:
            raise click.UsageError(
                "name a ROUTINE to walk in --plain mode (see coach routines list)"
            )
        choice = BeatChoice.of(config.beat, config.beat_volume, beat, speed)
        _walk_plain(
            name, sound or config.sound, speed, config.tts_command, choice, config.moderate_cadence
        )
        return
    _open_app(
        start=name,
        sound=sound,
        checkin=not no_checkin,
        speed=speed,
        beat=beat,
        hint=f"add --plain for a walk in lines (coach walk {name or 'ROUTINE'} --plain)",
        config=(config, problems),
    )


@main.command("checkin")
@click.option("--pain", metavar="N", help="How much does your back hurt right now? 0–10.")
@click.option("--stiffness", metavar="N", help="How stiff does your back feel? 0–10.")
@click.option(
    "--where",
    metavar="A,B",
    help="Where it hurts, comma-separated: lower, mid, upper, neck, hips, leg.",
)
@click.option("--notes", metavar="TEXT", help="Free text, kept as written.")
@click.option(
    "--episode",
    type=click.Choice(["yes", "no"]),
    help="In the past month, did back pain stop you doing your usual activities for a day "
    "or more? (asked once a month on the home screen)",
)
def checkin(
    pain: str | None,
    stiffness: str | None,
    where: str | None,
    notes: str | None,
    episode: str | None,
) -> None:
    """Record how your back feels now, without a walk.

    With flags, save them and print what was saved; without, open the check-in screen.
    Pain and stiffness: 0 = none / not at all, 10 = worst imaginable / extremely stiff.
    --episode answers the monthly question on its own or with the others.
    """
    answered = (pain, stiffness, where, notes)
    if all(value is None for value in answered) and episode is None:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise click.UsageError(
                "not on a terminal: give --pain, --stiffness, --where, --notes or --episode "
                "(e.g. coach checkin --pain 3 --stiffness 4 --where lower)"
            )
        _open_checkin_app()
        return
    with_checkin = any(value is not None for value in answered)
    answers = _checkin_from_flags(pain, stiffness, where, notes) if with_checkin else None
    from coach.core.localtime import local_minute
    from coach.core.records import CheckinKind
    from coach.store import StoreError, utc_now

    store = _open_store()
    at = utc_now()
    lines = []
    try:
        if answers is not None:
            # One write, and nothing after it that can fail before it is reported: an
            # error means it was not saved, so trying again never saves it twice.
            checkin_id = store.add_checkin(CheckinKind.ALONE, answers, created_at=at)
            lines += _saved_lines(checkin_id, local_minute(at), answers)
        if episode is not None:
            store.add_episode_answer(episode == "yes")
            lines.append(_episode_line(episode == "yes"))
    except StoreError as exc:
        with contextlib.suppress(OSError):
            for line in lines:  # what was saved before the failure, so it is not given twice
                click.echo(line)
        unsaved = "the past month's answer was not saved" if lines else "nothing was saved"
        raise UserError(f"{exc}; {unsaved}") from None
    finally:
        store.close()
    # Saved: whatever happens to the output now, the command has done its work.
    with contextlib.suppress(OSError):
        for line in lines:
            click.echo(line)


def _episode_line(episode: bool) -> str:
    from datetime import date

    from coach.core.recurrence import next_ask_day

    said = (
        "back pain stopped your usual activities for a day or more"
        if episode
        else "no day of usual activities lost to back pain"
    )
    again = next_ask_day(date.today()).isoformat()
    return f"Saved for the past month: {said}. Home asks again from {again}."


def _score_flag(scale: Scale, value: str | None, flag: str | None = None) -> int | None:
    from coach.core.checkin import SCORE_MAX, SCORE_MIN, check_score

    if value is None:
        return None
    try:
        return check_score(scale, value)
    except ValueError:
        # Our own wording, so the message names the flag whatever the check's text says.
        raise UserError(
            f"{flag or '--' + scale.key} must be a whole number from {SCORE_MIN} to "
            f"{SCORE_MAX}, not {value.strip()!r}"
        ) from None


def _notes_flag(notes: str | None) -> str:
    from coach.core.checkin import check_notes

    try:
        return check_notes(notes) if notes is not None else ""
    except ValueError as exc:
        raise UserError(f"--notes: {exc}") from None


def _checkin_from_flags(
    pain: str | None, stiffness: str | None, where: str | None, notes: str | None
) -> Checkin:
    """The answers given by flags, or UserError naming the first bad flag."""
    from coach.core.checkin import PAIN, STIFFNESS, Checkin, parse_where

    pain_score = _score_flag(PAIN, pain)
    stiffness_score = _score_flag(STIFFNESS, stiffness)
    try:
        places = parse_where(where) if where is not None else frozenset()
    except ValueError as exc:
        raise UserError(f"--{exc}") from None
    cleaned = _notes_flag(notes)
    answers = Checkin(pain=pain_score, stiffness=stiffness_score, where=places, notes=cleaned)
    if answers.is_empty:
        raise UserError("nothing to save: --where and --notes were empty")
    return answers


def _saved_lines(checkin_id: int, at: str | None, answers: Checkin) -> list[str]:
    from coach.core.checkin import Where
    from coach.core.wording import one_line

    parts = []
    if answers.pain is not None:
        parts.append(f"pain {answers.pain}")
    if answers.stiffness is not None:
        parts.append(f"stiffness {answers.stiffness}")
    if answers.where:
        parts.append("where " + ", ".join(w.value for w in Where if w in answers.where))
    when = f" at {at} (local)" if at else ""
    lines = [f"Saved check-in #{checkin_id}{when}: " + (", ".join(parts) or "notes only")]
    if answers.notes:
        lines.append("notes: " + one_line(answers.notes, 200))
    return lines


def _open_checkin_app() -> None:
    _run_app(start_checkin=True, hint="give --pain, --stiffness, --where or --notes")


@main.command("history")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="A table to read, or CSV / JSON for spreadsheets and scripts.",
)
@click.option("--since", metavar="DATE", help="From this local day on (YYYY-MM-DD, inclusive).")
@click.option("--until", metavar="DATE", help="Up to this local day (YYYY-MM-DD, inclusive).")
@click.option(
    "--routine",
    "routine_id",
    metavar="ID",
    help="Only walks of routine ID (lone check-ins are left out).",
)
@click.option(
    "--effects",
    is_flag=True,
    help="Each routine's and walk length's effect on your pain, with 95% intervals "
    "(--format table or json).",
)
def history(
    output_format: str,
    since: str | None,
    until: str | None,
    routine_id: str | None,
    effects: bool,
) -> None:
    """Your walks and check-ins, newest first.

    Columns of CSV and JSON (stable; see the README): type, id, date, routine,
    routine_name, status, walked_seconds, planned_seconds, pain_before, pain_after,
    stiffness_before, stiffness_after, pain_change, meaningful, change, effort, where,
    flagged, notes, source, moderate_seconds, easy_seconds.

    With --effects: the pain change after − before per routine and per walk length,
    shrunk towards your overall average, with its 95% interval (5 walks rated before and
    after are needed for an estimate).
    """
    # Every row read is kept until the output is written and the command ends: garbage
    # collections would only go over them again (a twentieth of a long history's time).
    gc.disable()
    from coach.core.trends import day_range_utc
    from coach.store import StoreError

    if effects and output_format == "csv":
        raise click.UsageError("--effects gives --format table or json, not csv")
    first, last = _day_flag("--since", since), _day_flag("--until", until)
    if first and last and first > last:
        raise UserError(f"--since {first} is after --until {last}; nothing can match")
    start, end = day_range_utc(first, last)
    filtered = bool(start or end or routine_id)
    store = _open_store()
    try:
        if effects:
            damaged: list[DamagedRow] = []
            outcomes = store.walk_outcomes(start, end, routine_id, damaged)
            _print_effects(outcomes, output_format, filtered)
            _name_damaged(damaged)
            return
        entries = store.history(start, end, routine_id)
        everything = entries
        episodes = None
        if output_format == "table":
            episodes = store.episode_answers()
            if start or end:
                # The summary speaks of this week and the last 30 days, whatever the range.
                everything = store.history(routine_id=routine_id)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()
    from coach.core import export

    if output_format == "json":
        _echo_json(export.to_json(entries))
    elif output_format == "csv":
        table = export.to_csv(entries)
        if not _encodes(table):
            raise UserError(
                f"the history holds characters the output's encoding "
                f"({_output_encoding()}) cannot hold, and CSV would lose them: use "
                "--format json (it escapes them), or an encoding such as "
                "PYTHONIOENCODING=utf-8"
            )
        _echo_data(table, nl=False)
    else:
        from datetime import date

        from coach.config import load_config
        from coach.core.recurrence import summarize_recurrence
        from coach.terminal.history_table import print_history

        assert episodes is not None
        config, _problems = load_config()
        recurrence = summarize_recurrence([e.answer() for e in episodes], date.today())
        print_history(
            entries,
            everything,
            filtered=filtered,
            target_minutes=config.weekly_target,
            recurrence=recurrence,
        )
    _name_damaged([*entries.damaged, *everything.damaged])


def _name_damaged(damaged: list[DamagedRow]) -> None:
    """Every readable entry is out; each damaged one is named (once), and the exit says so."""
    named = {d.entry: d for d in damaged}
    for row in named.values():
        _warn(f"{row.entry} is damaged ({row.reason}); left out")
    if named:
        sys.exit(1)


def _output_encoding() -> str:
    return getattr(sys.stdout, "encoding", None) or "utf-8"


def _encodes(text: str) -> bool:
    """Whether stdout's encoding holds every character of `text`."""
    if text.isascii():
        return True
    try:
        text.encode(_output_encoding())
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _echo_data(text: str, nl: bool = True) -> None:
    """Data on stdout itself, in its encoding (click.echo alone would write UTF-8 where the
    locale says ASCII, so what was checked would not be what is written)."""
    click.echo(text, nl=nl, file=sys.stdout)


def _echo_json(text: str) -> None:
    """JSON on stdout; if its encoding can't hold every character, all beyond ASCII are
    escaped (with PYTHONIOENCODING=latin-1, "café ☕" is written "caf\\u00e9 \\u2615"):
    the data is never lost."""
    from coach.core.export import ascii_json

    _echo_data(text if _encodes(text) else ascii_json(text))


def _print_effects(walks: list[WalkOutcome], output_format: str, filtered: bool) -> None:
    from coach.core.estimates import band_estimates, routine_estimates

    routines, lengths = routine_estimates(walks), band_estimates(walks)
    if output_format == "json":
        from coach.core.export import effects_json

        _echo_json(effects_json(routines, lengths))
        return
    from coach.terminal.effects_table import print_effects

    print_effects(routines, lengths, filtered)


def _day_flag(flag: str, value: str | None) -> date | None:
    from coach.core.trends import parse_day

    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise UserError(f"{flag}: {exc}") from None


# The listing commands' one output choice.
TABLE_OR_JSON = click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output as a table or as JSON for scripts.",
)


@main.group("routines")
def routines() -> None:
    """List, show, validate and create walking routines."""


@routines.command("list")
@TABLE_OR_JSON
def routines_list(output_format: str) -> None:
    """List built-in routines and your own (yours shadow built-ins of the same id)."""
    from coach.core.routine import compile_timeline, load_file
    from coach.library.routines import Origin, list_routines

    rows: list[dict[str, object]] = []
    for entry in list_routines():
        result = load_file(entry.path)
        timeline = compile_timeline(result.routine) if result.routine else None
        source = "built-in" if entry.origin is Origin.BUILT_IN else "mine"
        rows.append(
            {
                "id": entry.id,
                "name": result.routine.name if result.routine else None,
                "duration_seconds": timeline.total if timeline else None,
                "segments": len(timeline.segments) if timeline else None,
                "source": source,
                "shadows_builtin": entry.shadows_builtin,
                "valid": result.ok,
                "errors": len(result.errors),
                "path": str(entry.path),
            }
        )
    if output_format == "json":
        _echo_json(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from coach.terminal.routines_table import print_routines

    print_routines(rows)


@routines.command("show")
@click.argument("routine")
def routines_show(routine: str) -> None:
    """Show ROUTINE's timeline segment by segment, with totals.

    ROUTINE is a file path, or the id of one of your routines or a built-in.
    """
    from coach.core.routine import compile_timeline, load_file
    from coach.library.routines import RoutineNotFound, find_routine

    try:
        entry = find_routine(routine)
    except RoutineNotFound as exc:
        raise UserError(str(exc)) from None
    result = load_file(entry.path, _display(entry.path))
    _print_diagnostics(result)
    if result.routine is None:
        raise UserError(f"{result.display_path} has {len(result.errors)} error(s)")
    from coach.terminal.timeline_report import render_timeline

    render_timeline(result.routine, compile_timeline(result.routine), entry)


@routines.command("validate")
# Not click's readable check: an unreadable file is the file's problem, reported with its
# location like any other (exit 1), not a usage error.
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
def routines_validate(paths: tuple[Path, ...]) -> None:
    """Check routine files; exit 0 if all are valid, 1 if any has an error.

    Each problem is reported as PATH:LINE:COL: error|warning: KEY.PATH: message.
    Warnings do not fail validation.
    """
    from coach.core.routine import load_file

    failed = 0
    errors = warnings = 0
    from coach.core.text import visible_text

    for path in paths:
        result = load_file(path, visible_text(str(path)))  # as given, controls made visible
        _print_diagnostics(result)
        errors += len(result.errors)
        warnings += len(result.warnings)
        if not result.ok:
            failed += 1
    valid = len(paths) - failed
    summary = (
        f"{len(paths)} file(s): {valid} valid, {failed} with errors "
        f"({errors} error(s), {warnings} warning(s))"
    )
    click.echo(summary, err=True)
    if failed:
        sys.exit(1)


@routines.command("new")
@click.argument("name")
@click.option("--from", "from_routine", metavar="ROUTINE", help="Start from a copy of ROUTINE.")
def routines_new(name: str, from_routine: str | None) -> None:
    """Write a new routine NAME.yaml to your routines folder and print its path.

    NAME becomes the routine's id: lowercase letters, digits, '-' and '_'.
    """
    from coach.library.starter import StarterError, create_routine

    try:
        created = create_routine(name, from_routine)
    except StarterError as exc:
        raise UserError(str(exc)) from None
    if created.shadows_builtin:
        click.echo(f"note: {name} shadows the built-in routine of the same id", err=True)
    click.echo(_shown(created.path))


@routines.command("edit")
@click.argument("routine")
@click.option(
    "--editor",
    "use_editor",
    is_flag=True,
    help="Use $VISUAL or $EDITOR instead of the in-app editor; validate when it exits.",
)
def routines_edit(routine: str, use_editor: bool) -> None:
    """Edit ROUTINE with live validation (a built-in is saved as your own copy)."""
    from coach.library.routines import Origin

    entry = _resolve(routine)
    if not use_editor:
        _run_app(edit=entry, hint="use --editor for $VISUAL or $EDITOR")
        return
    path = entry.path
    if entry.origin is Origin.BUILT_IN:
        from coach.library.starter import StarterError, create_routine

        try:
            path = create_routine(entry.id, entry.id).path
        except StarterError as exc:
            raise UserError(str(exc)) from None
        click.echo(f"Editing your copy of the built-in: {_shown(path)}", err=True)
    _edit_externally(path)


def _edit_externally(path: Path) -> None:
    """$VISUAL/$EDITOR on the file, then validate; offer to reopen while it has errors."""
    import shlex
    import subprocess

    from coach.core.routine import load_file

    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not command:
        raise UserError("set $VISUAL or $EDITOR to use --editor, or drop --editor")
    while True:
        try:
            subprocess.run([*shlex.split(command), str(path)], check=False)
        except (OSError, ValueError) as exc:
            raise UserError(f"cannot run the editor {command!r}: {exc}") from None
        result = load_file(path, _display(path))
        _print_diagnostics(result)
        if result.ok:
            click.echo(f"{result.display_path}: valid", err=True)
            return
        if not sys.stdin.isatty() or not click.confirm("Reopen the editor?", default=True):
            raise UserError(f"{result.display_path} has {len(result.errors)} error(s)")


@routines.command("schema")
def routines_schema() -> None:
    """Print the JSON Schema of the routine format, for editors and YAML language servers."""
    from coach.core.routine.schema import schema_json

    click.echo(schema_json())


@main.command("render")
@click.argument("routine")
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FILE.wav",
    type=click.Path(),
    help="Where to write the walk (a 16-bit mono WAV file).",
)
@click.option("--no-voice", is_flag=True, help="The beat alone: no speech, no tones.")
@click.option(
    "--sample-rate",
    type=click.IntRange(8000, 96000),
    default=44100,
    show_default=True,
    metavar="N",
    help="Samples a second, 8000–96000.",
)
@click.option("--force", is_flag=True, help="Replace FILE.wav if it exists.")
@click.option(
    "--phases",
    is_flag=True,
    help="A soft tick at each phase change too (the default with the config's beat: phases).",
)
@click.option(
    "--volume",
    type=click.IntRange(0, 100),
    metavar="N",
    help="The clicks' loudness, 0–100. Default: the config's beat_volume (60).",
)
def render(
    routine: str,
    output: str,
    no_voice: bool,
    sample_rate: int,
    force: bool,
    phases: bool,
    volume: int | None,
) -> None:
    """Write ROUTINE's whole guided walk to FILE.wav, to play on a phone or music player.

    The beat, segment announcements, 3-2-1 countdowns, posture prompts and cue changes
    at the routine's real timing. Speech comes from the config's tts_wav_command, else
    say, espeak-ng or espeak; without one, tones mark segment starts and announcements.
    """
    from coach.config import load_config

    if not output.strip():
        raise click.BadParameter("give a file name such as walk.wav", param_hint="'-o'")
    if not output.lower().endswith(".wav"):  # the file is WAV audio whatever it is called
        raise click.BadParameter(
            f"the file is WAV audio: give a name ending .wav, not {output!r}", param_hint="'-o'"
        )
    config, problems = load_config()
    for problem in problems:
        click.echo(f"coach: {problem}", err=True)
    entry = _resolve(routine)
    result = _load_valid(entry)
    assert result.routine is not None
    from coach.audio.render import RenderError
    from coach.core.routine import compile_timeline
    from coach.terminal.render_report import render_with_progress, written

    try:
        report = render_with_progress(
            compile_timeline(result.routine),
            Path(output),
            sample_rate=sample_rate,
            voice=not no_voice,
            phases=phases or config.beat == "phases",
            volume=(config.beat_volume if volume is None else volume) / 100,
            force=force,
            tts_wav_template=config.tts_wav_command,
        )
    except RenderError as exc:
        raise UserError(str(exc)) from None
    if report.notice:
        click.echo(f"coach: {report.notice}", err=True)
    click.echo(written(report, voice=not no_voice))


# -- coach log -------------------------------------------------------------------------

# A logged walk may be a long hike, but not longer than this.
LOG_MAX_SECONDS = 12 * 3600


def _today() -> date:
    from datetime import date

    return date.today()


@main.command("log")
@click.argument("duration")
@click.option("--date", "day", metavar="D", help="The day you walked (YYYY-MM-DD); default today.")
@click.option("--routine", "routine_id", metavar="ID", help="The routine you walked, if any.")
@click.option("--cadence", metavar="N", help="Your cadence, steps a minute (40–180), if known.")
@click.option("--pain-before", metavar="N", help="Pain before the walk, 0–10.")
@click.option("--pain-after", metavar="N", help="Pain after the walk, 0–10.")
@click.option("--stiffness-before", metavar="N", help="Stiffness before the walk, 0–10.")
@click.option("--stiffness-after", metavar="N", help="Stiffness after the walk, 0–10.")
@click.option("--notes", metavar="TEXT", help="Notes, kept as written (with the after check-in).")
def log_walk(
    duration: str,
    day: str | None,
    routine_id: str | None,
    cadence: str | None,
    pain_before: str | None,
    pain_after: str | None,
    stiffness_before: str | None,
    stiffness_after: str | None,
    notes: str | None,
) -> None:
    """Record a walk done without coach (outdoors, a class): DURATION as routines write
    it (30m, 1h5m, 45:00).

    It is marked as logged, not guided, everywhere, and counts for the weekly dose and
    the plan. Without --cadence it counts as easy minutes.
    """
    from datetime import datetime

    from coach.config import load_config
    from coach.core.checkin import PAIN, STIFFNESS, Checkin
    from coach.core.dose import DoseWalk, logged_start
    from coach.core.routine.durations import format_clock, parse_duration
    from coach.core.routine.model import CADENCE_MAX, CADENCE_MIN
    from coach.library.routines import SAFE_ID

    try:
        seconds = parse_duration(duration.strip())
    except ValueError as exc:
        raise UserError(f"DURATION: {exc}") from None
    if not 0 < seconds <= LOG_MAX_SECONDS:
        raise UserError(
            f"DURATION must be more than 0 and at most {LOG_MAX_SECONDS // 3600}h, "
            f"not {duration.strip()!r}"
        )
    now = datetime.now().astimezone()  # read once: "today" and "ends now" are one moment
    today = now.date()
    walked_on = _day_flag("--date", day) if day is not None else today
    assert walked_on is not None
    try:
        started = logged_start(walked_on, seconds, now).astimezone()
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if routine_id is not None and not SAFE_ID.match(routine_id):
        raise UserError(
            f"--routine {routine_id!r} is not a routine id: 1–64 lowercase letters, digits, "
            "'-' or '_', starting with a letter or digit"
        )
    steps: int | None = None
    if cadence is not None:
        text = cadence.strip()
        if not (text.isascii() and text.isdecimal()) or not CADENCE_MIN <= int(text) <= CADENCE_MAX:
            raise UserError(
                f"--cadence must be a whole number of steps a minute from {CADENCE_MIN} to "
                f"{CADENCE_MAX}, not {text!r}"
            )
        steps = int(text)
    scores = {
        flag: _score_flag(scale, value, flag)
        for flag, scale, value in (
            ("--pain-before", PAIN, pain_before),
            ("--pain-after", PAIN, pain_after),
            ("--stiffness-before", STIFFNESS, stiffness_before),
            ("--stiffness-after", STIFFNESS, stiffness_after),
        )
    }
    cleaned = _notes_flag(notes)
    before = Checkin(pain=scores["--pain-before"], stiffness=scores["--stiffness-before"])
    after = Checkin(
        pain=scores["--pain-after"], stiffness=scores["--stiffness-after"], notes=cleaned
    )
    config, problems = load_config()
    for problem in problems:
        click.echo(f"coach: {problem}", err=True)
    routine_name = "Logged walk"
    if routine_id is not None:
        routine_name = _routine_name(routine_id) or routine_id
    split = DoseWalk.logged(started, seconds, steps, config.moderate_cadence)
    from coach.store import StoreError

    store = _open_store()
    try:
        walk_id = store.log_walk(
            started,
            seconds,
            routine_id or "",
            routine_name,
            split.moderate_seconds,
            split.easy_seconds,
            before=None if before.is_empty else before,
            after=None if after.is_empty else after,
        )
        plan_line = _plan_after_log(store, today, config)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()
    parts = [f"Logged walk #{walk_id}: {format_clock(seconds)} on {walked_on.isoformat()}"]
    if routine_id is not None:
        parts.append(f"routine {routine_id}")
    if steps is not None:
        intensity = "moderate" if steps >= config.moderate_cadence else "easy"
        parts.append(f"{steps} steps/min ({intensity})")
    else:
        parts.append("no cadence given: counted as easy")
    from coach.core.wording import reading

    for label, first, second in (
        ("pain", before.pain, after.pain),
        ("stiffness", before.stiffness, after.stiffness),
    ):
        if first is not None or second is not None:
            parts.append(f"{label} {reading(first, second)}")
    click.echo(", ".join(parts))
    if plan_line:
        click.echo(plan_line)


def _routine_name(routine_id: str) -> str | None:
    from coach.core.routine import load_file
    from coach.library.routines import RoutineNotFound, find_routine

    try:
        entry = find_routine(routine_id)
    except RoutineNotFound:
        return None
    if entry.id != routine_id:
        return None
    result = load_file(entry.path)
    return result.routine.name if result.routine else None


def _plan_after_log(store: Store, today: date, config: Config) -> str | None:
    from coach.core.plan_summary import week_line
    from coach.planning import PlanError, open_plan

    try:
        opened = open_plan(store, today, config)
    except PlanError:
        return None
    return None if opened is None else f"Plan: {week_line(opened.report)}"


# -- programmes ------------------------------------------------------------------------


@main.group("programmes")
def programmes() -> None:
    """List, show, validate and create walking programmes (weeks that build up)."""


@programmes.command("list")
@TABLE_OR_JSON
def programmes_list(output_format: str) -> None:
    """List built-in programmes and your own (yours shadow built-ins of the same id)."""
    from coach.core.programme import load_file
    from coach.library.programmes import list_programmes
    from coach.library.routines import Origin

    known = _known_routines()
    rows: list[dict[str, object]] = []
    for entry in list_programmes():
        result = load_file(entry.path, known_routines=known)
        programme = result.programme
        rows.append(
            {
                "id": entry.id,
                "name": programme.name if programme else None,
                "weeks": programme.last_week if programme else None,
                "source": "built-in" if entry.origin is Origin.BUILT_IN else "mine",
                "shadows_builtin": entry.shadows_builtin,
                "valid": result.ok,
                "errors": len(result.errors),
                "path": str(entry.path),
            }
        )
    if output_format == "json":
        _echo_json(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from coach.terminal.programmes_table import print_programmes

    print_programmes(rows)


def _known_routines() -> list[str]:
    from coach.library.routines import list_routines

    return [entry.id for entry in list_routines()]


@programmes.command("show")
@click.argument("programme")
def programmes_show(programme: str) -> None:
    """Show PROGRAMME week by week. PROGRAMME is a file path or an id."""
    from coach.core.programme import load_file
    from coach.library.programmes import ProgrammeNotFound, find_programme
    from coach.planning import routine_lengths

    try:
        entry = find_programme(programme)
    except ProgrammeNotFound as exc:
        raise UserError(str(exc)) from None
    result = load_file(entry.path, _display(entry.path), known_routines=_known_routines())
    _print_diagnostics(result)
    if result.programme is None:
        raise UserError(f"{result.display_path} has {len(result.errors)} error(s)")
    from coach.terminal.programmes_table import render_programme

    render_programme(result.programme, entry, routine_lengths(result.programme.routine_ids))


@programmes.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def programmes_validate(paths: tuple[Path, ...]) -> None:
    """Check programme files; exit 0 if all are valid, 1 if any has an error.

    Each problem is reported as PATH:LINE:COL: error|warning: KEY.PATH: message. Routine
    ids are checked against the routines `coach walk ID` can find.
    """
    from coach.core.programme import load_file
    from coach.core.text import visible_text

    known = _known_routines()
    failed = errors = warnings = 0
    for path in paths:
        result = load_file(path, visible_text(str(path)), known_routines=known)
        _print_diagnostics(result)
        errors += len(result.errors)
        warnings += len(result.warnings)
        if not result.ok:
            failed += 1
    click.echo(
        f"{len(paths)} file(s): {len(paths) - failed} valid, {failed} with errors "
        f"({errors} error(s), {warnings} warning(s))",
        err=True,
    )
    if failed:
        sys.exit(1)


@programmes.command("new")
@click.argument("name")
@click.option(
    "--from", "from_programme", metavar="PROGRAMME", help="Start from a copy of PROGRAMME."
)
def programmes_new(name: str, from_programme: str | None) -> None:
    """Write a new programme NAME.yaml to your programmes folder and print its path."""
    from coach.library.programme_starter import ProgrammeStarterError, create_programme

    try:
        created = create_programme(name, from_programme)
    except ProgrammeStarterError as exc:
        raise UserError(str(exc)) from None
    if created.shadows_builtin:
        click.echo(f"note: {name} shadows the built-in programme of the same id", err=True)
    click.echo(str(created.path))


@programmes.command("schema")
def programmes_schema() -> None:
    """Print the JSON Schema of the programme format, for editors."""
    from coach.core.programme import schema_json

    click.echo(schema_json())


# -- plan ------------------------------------------------------------------------------


@main.group("plan", invoke_without_command=True)
@click.pass_context
def plan(ctx: click.Context) -> None:
    """Your walking plan: this week's sessions, what is next, and why it moved on or held.

    Start one with `coach plan start ID` (see `coach programmes list`).
    """
    if ctx.invoked_subcommand is not None:
        return
    from coach.core.plan_summary import report_lines

    opened = _with_plan(lambda store, config: _open_plan(store, config))
    if opened is None:
        click.echo(
            "No plan is active. Start one with: coach plan start walkback "
            "(coach programmes list shows them all)"
        )
        return
    stored = opened.stored
    for line in report_lines(
        opened.report, stored.programme_name, stored.started, stored.start_reason
    ):
        click.echo(visible_text_line(line))


def visible_text_line(line: str) -> str:
    from coach.core.text import visible_text

    return visible_text(line)


def _with_plan(action: Any) -> Any:
    """Run `action(store, config)` with the store open; plan and store errors exit 1."""
    from coach.config import load_config
    from coach.planning import PlanError
    from coach.store import StoreError

    config, problems = load_config()
    for problem in problems:
        click.echo(f"coach: {problem}", err=True)
    store = _open_store()
    try:
        return action(store, config)
    except PlanError as exc:
        for line in exc.report:
            click.echo(line)
        raise UserError(str(exc)) from None
    except StoreError as exc:
        raise UserError(str(exc)) from None
    finally:
        store.close()


def _open_plan(store: Store, config: Config) -> Any:
    from coach.planning import open_plan

    return open_plan(store, _today(), config)


@plan.command("start")
@click.argument("programme")
def plan_start(programme: str) -> None:
    """Start PROGRAMME (an id or a file) today, at the week that suits your recent walks."""
    from coach.core.plan_summary import next_line
    from coach.planning import open_plan, start_plan

    def start(store: Store, config: Config) -> list[str]:
        started = start_plan(store, programme, _today())
        opened = open_plan(store, _today(), config)
        assert opened is not None
        name = started.programme.name
        lines = [
            f"Started {name} ({started.programme.id}) on {_today().isoformat()}.",
            started.choice.reason,
            next_line(opened.report),
            "See it any time with `coach plan`; for your calendar: coach plan ics -o plan.ics",
        ]
        return lines

    for line in _with_plan(start):
        click.echo(visible_text_line(line))


@plan.command("stop")
def plan_stop() -> None:
    """Stop the active plan (its history of decisions is kept)."""
    from coach.planning import stop_plan

    stopped = _with_plan(lambda store, config: stop_plan(store))
    if stopped is None:
        raise UserError("no plan is active")
    click.echo(
        visible_text_line(
            f"Stopped {stopped.programme_name} ({stopped.programme_id}) at week {stopped.week}."
        )
    )


@plan.command("ics")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write to FILE instead of standard output.",
)
def plan_ics(output: Path | None) -> None:
    """The coming sessions (this week and the next 4) as an iCalendar file for your
    calendar's reminders; importing it again updates the events."""
    from coach.planning import calendar, coming_sessions

    def build(store: Store, config: Config) -> tuple[bytes, int]:
        opened = _open_plan(store, config)
        if opened is None:
            raise UserError("no plan is active; start one with: coach plan start ID")
        return calendar(opened, config.plan_time), len(coming_sessions(opened))

    data, count = _with_plan(build)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"Wrote {count} session(s) to {output}", err=True)


@main.group("config")
def config_group() -> None:
    """Where the settings file is, and what coach reads from it."""


@config_group.command("path")
def config_path_command() -> None:
    """Print the config file's path (it need not exist)."""
    from coach.paths import config_path

    click.echo(_shown(config_path()))


@config_group.command("show")
def config_show() -> None:
    """Print the settings in effect (problems in the file go to stderr)."""
    from coach.config import EXAMPLE, load_config
    from coach.paths import config_path

    config, problems = load_config()
    for problem in problems:
        click.echo(_shown(problem), err=True)
    path = config_path()
    click.echo(
        f"# {_shown(path)}" + ("" if path.exists() else " (not created yet: these are defaults)")
    )
    for key, value in config.as_dict().items():
        shown = json.dumps(value, ensure_ascii=False) if value is not None else "~"
        click.echo(f"{key}: {shown}")
    if not path.exists():
        click.echo("\n# To change them, create the file, for example:\n" + EXAMPLE.rstrip())


def _open_store(tell: Callable[[str], None] | None = None) -> Store:
    """Open the store for a command (coach.store.opening), or UserError."""
    from coach.store import StoreError
    from coach.store.opening import open_for_command

    try:
        return open_for_command(tell)
    except StoreError as exc:
        raise UserError(str(exc)) from None


def _warn(message: str) -> None:
    """One line on stderr; a closed stderr is no reason to fail."""
    if sys.stderr is None:  # closed (2>&-): click.echo(file=None) would write to stdout
        return
    with contextlib.suppress(OSError):
        click.echo(f"coach: {_shown(message)}", file=sys.stderr)  # its encoding, as set up


def _resolve(name: str) -> RoutineEntry:
    from coach.library.routines import RoutineNotFound, find_routine

    try:
        return find_routine(name)
    except RoutineNotFound as exc:
        raise UserError(str(exc)) from None


def _load_valid(entry: RoutineEntry) -> LoadResult:
    from coach.core.routine import load_file

    result = load_file(entry.path, _display(entry.path))
    if not result.ok:
        _print_diagnostics(result)
        raise UserError(f"{result.display_path} has {len(result.errors)} error(s)")
    return result


def _walk_plain(
    name: str,
    sound_mode: str,
    speed: float,
    tts_template: str | None,
    beat: BeatChoice,
    moderate_cadence: int,
) -> None:
    from coach.core.routine import compile_timeline
    from coach.plain import walk_plain
    from coach.sound import SoundMode
    from coach.store import StoreError

    entry = _resolve(name)
    result = _load_valid(entry)
    assert result.routine is not None and result.text is not None
    timeline = compile_timeline(result.routine)
    store = _open_store() if speed == 1 else None
    try:
        tell = False
        if store is not None:
            from datetime import date

            from coach.plain_signs import tell_warning_signs, warning_signs_before_walk

            signs = warning_signs_before_walk(store, date.today())
            if not signs.walk:
                return
            tell = signs.tell
        outcome = walk_plain(
            timeline,
            str(entry.path),
            result.text,
            store,
            SoundMode(sound_mode),
            speed,
            tts_template=tts_template,
            beat_choice=beat,
            moderate_cadence=moderate_cadence,
            on_start=tell_warning_signs if tell else None,
        )
    except StoreError as exc:
        raise UserError(str(exc)) from None
    finally:
        if store is not None:
            store.close()
    if not outcome.saved:
        sys.exit(1)


def _open_app(
    start: str | None,
    sound: str | None,
    checkin: bool,
    speed: float,
    beat: bool | None = None,
    hint: str = "for a walk without the full screen: coach walk ROUTINE --plain",
    config: tuple[Config, list[str]] | None = None,
) -> None:
    """The app, walking `start` (checked here first) if given; `config`: as read already."""
    from coach.sound import SoundMode

    _need_terminal(hint)
    entry = loaded = None
    if start is not None:
        entry = _resolve(start)
        loaded = _load_valid(entry)
    _run_app(
        start=entry,
        sound_mode=SoundMode(sound) if sound else None,
        checkin=checkin,
        speed=speed,
        beat=beat,
        hint=hint,
        config=config,
        start_loaded=loaded,
    )


def _need_terminal(hint: str) -> None:
    """The app draws a full screen: without a terminal on stdin, stdout and stderr (where
    Textual draws), stop at once (exit 2) with a hint, instead of drawing into a pipe."""
    if not (on_terminal(sys.stdin) and on_terminal(sys.stdout)):
        raise click.UsageError(f"not on a terminal (the app needs one): {_shown(hint)}")
    if not on_terminal(sys.stderr):
        message = (
            "not on a terminal: stderr is redirected, and the app draws its screen there; "
            f"leave stderr on the terminal, or {_shown(hint)}"
        )
        click.echo(f"coach: {message}")  # on the terminal too: stderr is a file or a pipe
        raise click.UsageError(message)


def _run_app(
    start: RoutineEntry | None = None,
    sound_mode: SoundMode | None = None,
    checkin: bool = True,
    speed: float = 1.0,
    start_checkin: bool = False,
    edit: RoutineEntry | None = None,
    beat: bool | None = None,
    hint: str = "see coach --help",
    config: tuple[Config, list[str]] | None = None,
    start_loaded: LoadResult | None = None,
) -> None:
    from coach.tui.launch import run_app

    _need_terminal(hint)
    run_app(
        _open_store,
        start=start,
        sound_mode=sound_mode,
        checkin=checkin,
        speed=speed,
        start_checkin=start_checkin,
        edit=edit,
        beat=beat,
        config=config,
        start_loaded=start_loaded,
    )


def _shown(text: object) -> str:
    """Text (a path, a message naming one) as it may reach the terminal: control
    characters as symbols, never as escape sequences."""
    from coach.core.text import visible_text

    return visible_text(str(text))


def _display(path: Path) -> str:
    """A path as the user would like to read it: relative to here when that is shorter.

    Control characters in a file name are shown as symbols, never sent to the terminal.
    """
    from coach.core.text import visible_text

    try:
        relative = os.path.relpath(path)
    except ValueError:
        return visible_text(str(path))
    return visible_text(relative if len(relative) < len(str(path)) else str(path))


def _print_diagnostics(result: LoadResult | ProgrammeLoadResult) -> None:
    """Diagnostics to stdout; on a terminal each with its source line and a caret."""
    excerpts = sys.stdout.isatty()
    for line in result.report(excerpts=excerpts):
        click.echo(line)
