"""config.toml: each problem is one line naming the key and what is used instead."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readq.config import (
    DEFAULT_THEME,
    Settings,
    config_path,
    key_list,
    load_settings,
    save_theme,
)
from readq.errors import ReadqError
from readq.sanitize import clean_line

from ..conftest import run

THEMES = ("textual-dark", "nord", "gruvbox")
# A small stand-in for readq.tui.bindings.keymap_groups(), so that these tests do
# not move when the app's keys do.
SCREENS: dict[str, dict[str, str]] = {
    "main": {
        "next_paper": "j,down",
        "toggle_read": "space",
        "read_next": "r",
        "next_page": "right_square_bracket,pagedown",
        "help": "question_mark",
        "quit": "q",
    },
    "pager": {"pager_down": "j,down", "pager_top": "g,home"},
}


def write(text: str | bytes, path: Path | None = None) -> Path:
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode()
    path.write_bytes(text)
    return path


def check(text: str | bytes) -> tuple[Settings, list[str]]:
    return load_settings(write(text), themes=THEMES, keymap_screens=SCREENS)


def assert_one_clean_line_each(problems: list[str]) -> None:
    for problem in problems:
        assert problem == clean_line(problem)
        assert "\x1b" not in problem


# --- values ------------------------------------------------------------------------


def test_no_file_means_the_defaults_and_no_problem() -> None:
    assert load_settings(themes=THEMES, keymap_screens=SCREENS) == (Settings(), [])


def test_a_good_file_applies_whole() -> None:
    found = check(
        'theme = "nord"\npage_size = 30\nbackups = 3\n'
        '[keymap]\ntoggle_read = "x"\nread_next = "r,enter"\n'
    )
    keymap = {"toggle_read": "x", "read_next": "r,enter"}
    assert found == (Settings(theme="nord", keymap=keymap, page_size=30, backups=3), [])


def test_the_readme_example_is_clean_against_the_real_themes_and_keys() -> None:
    from textual.theme import BUILTIN_THEMES

    from readq.tui.bindings import keymap_groups

    path = write(
        'theme = "nord"\npage_size = 30\n[keymap]\ntoggle_read = "x"\nread_next = "r,enter"\n'
    )
    groups = keymap_groups()
    assert load_settings(path, themes=BUILTIN_THEMES, keymap_screens=groups)[1] == []
    # The app's own defaults bind no key twice on a screen.
    write("")
    assert load_settings(path, themes=BUILTIN_THEMES, keymap_screens=groups)[1] == []


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            'page_size = "30"',
            'config.toml: page_size must be a whole number above 0, not "30"; '
            "using the default (as many rows as fit)",
        ),
        ("page_size = 0", "page_size must be a whole number above 0, not 0;"),
        ("page_size = true", "page_size must be a whole number above 0, not true;"),
        ("page_size = 2.5", "page_size must be a whole number above 0, not 2.5;"),
        (
            "backups = 0",
            "config.toml: backups must be a whole number of at least 1, not 0; "
            "using the default (10)",
        ),
        ("backups = false", "backups must be a whole number of at least 1, not false;"),
        ("backups = [1]", "backups must be a whole number of at least 1, not a list;"),
        (
            "theme = 3",
            'config.toml: theme must be a theme\'s name in quotes, not 3; using "textual-dark"',
        ),
        ("theme = 2024-01-02", "theme must be a theme's name in quotes, not the date 2024-01-02"),
    ],
)
def test_a_value_of_the_wrong_type_loses_only_that_value(line: str, problem: str) -> None:
    others = {"page_size": "page_size = 30", "backups": "backups = 3", "theme": 'theme = "nord"'}
    key = line.split()[0]
    text = "\n".join([line, *(v for k, v in others.items() if k != key)])
    found, problems = check(text + '\n[keymap]\ntoggle_read = "x"\n')
    assert len(problems) == 1
    assert problems[0].startswith("config.toml: ")
    assert problem in problems[0]
    expected = Settings(theme="nord", keymap={"toggle_read": "x"}, page_size=30, backups=3)
    default = getattr(Settings(), key)
    assert found == Settings(**{**_fields(expected), key: default})


def _fields(settings_: Settings) -> dict[str, object]:
    return {name: getattr(settings_, name) for name in Settings.__slots__}


def test_an_unknown_theme_names_the_closest_and_uses_the_default() -> None:
    found, problems = check('theme = "nrod"\npage_size = 5\n')
    assert problems == [
        'config.toml: theme "nrod" is not a known theme (did you mean "nord"?); '
        'using "textual-dark"'
    ]
    assert (found.theme, found.page_size) == (DEFAULT_THEME, 5)


def test_without_theme_names_the_theme_is_not_checked() -> None:
    assert load_settings(write('theme = "mine"\n')) == (Settings(theme="mine"), [])


def test_an_unknown_setting_is_ignored_and_named() -> None:
    found, problems = check('colour = "red"\n[keymaps]\nx = "y"\n')
    assert problems == [
        "config.toml: colour is not a readq setting; ignored "
        "(the settings are theme, page_size, backups, keymap, views, feeds, fetch_every, sync_dir)",
        "config.toml: keymaps is not a readq setting (did you mean keymap?); ignored "
        "(the settings are theme, page_size, backups, keymap, views, feeds, fetch_every, sync_dir)",
    ]
    assert found == Settings()


def test_problems_come_in_the_files_order() -> None:
    _, problems = check('backups = 0\ntheme = 1\npage_size = "x"\n')
    assert [p.split()[1] for p in problems] == ["backups", "theme", "page_size"]


# --- the keymap ----------------------------------------------------------------------


def test_an_unknown_binding_id_is_dropped_and_the_rest_kept() -> None:
    found, problems = check('[keymap]\ntoggle_red = "x"\nquit = "Q"\n')
    assert problems == [
        "config.toml: keymap.toggle_red is not a binding id (did you mean toggle_read?); "
        "ignored (`readq config keys` lists the ids)"
    ]
    assert found.keymap == {"quit": "Q"}


def test_without_screens_any_id_is_kept_and_only_types_are_checked() -> None:
    found, problems = load_settings(write('[keymap]\nanything = "x"\nother = 1\n'))
    assert found.keymap == {"anything": "x"}
    assert problems == [
        'config.toml: keymap.other must be keys in quotes, such as "x" or "r,enter", not 1; ignored'
    ]


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            "toggle_read = 1",
            'config.toml: keymap.toggle_read must be keys in quotes, such as "x" or "r,enter", '
            'not 1; ignored, toggle_read keeps its default keys "space"',
        ),
        (
            'toggle_read = ["x"]',
            'config.toml: keymap.toggle_read must be keys in quotes, such as "x" or "r,enter", '
            'not a list; ignored, toggle_read keeps its default keys "space"',
        ),
        (
            'toggle_read = " , "',
            "config.toml: keymap.toggle_read names no key (a binding cannot be removed); "
            'ignored, toggle_read keeps its default keys "space"',
        ),
    ],
)
def test_a_bad_keymap_entry_is_dropped(entry: str, problem: str) -> None:
    found, problems = check(f'page_size = 4\n[keymap]\n{entry}\nquit = "Q"\n')
    assert problems == [problem]
    assert (found.keymap, found.page_size) == ({"quit": "Q"}, 4)


def test_a_keymap_that_is_not_a_table_is_ignored() -> None:
    found, problems = check('keymap = "x"\ntheme = "nord"\n')
    assert problems == [
        'config.toml: keymap must be a table ([keymap], then lines such as toggle_read = "x"), '
        'not "x"; ignored, every key keeps its default'
    ]
    assert found == Settings(theme="nord")


def test_keys_are_spelled_as_textual_spells_them() -> None:
    found, problems = check('[keymap]\nhelp = "?, h"\nnext_page = "],  ]"\nquit = "ctrl+q"\n')
    assert problems == []
    assert found.keymap == {
        "help": "question_mark,h",
        "next_page": "right_square_bracket",
        "quit": "ctrl+q",
    }


def test_question_mark_and_its_name_are_one_key() -> None:
    _, problems = check('[keymap]\nquit = "?"\n')
    assert problems == [
        'config.toml: keymap: "question_mark" is bound to both quit and help (by default); '
        "using it for quit, so help has no key left (give it a key of its own in [keymap])"
    ]


@given(st.text(max_size=12))
def test_key_list_reads_keys_as_textual_does(keys: str) -> None:
    from textual.keys import _normalize_key_list

    textual = [key for key in _normalize_key_list(keys).split(",") if key]
    assert key_list(keys) == list(dict.fromkeys(textual))


def test_two_entries_on_one_key_keep_the_first_and_drop_the_later() -> None:
    found, problems = check('[keymap]\ntoggle_read = "x"\nread_next = "x,enter"\nquit = "Q"\n')
    assert problems == [
        'config.toml: keymap: "x" is bound to both toggle_read and read_next; '
        'the later entry is ignored, read_next keeps its default keys "r"'
    ]
    assert found.keymap == {"toggle_read": "x", "quit": "Q"}


def test_a_dropped_entry_may_not_take_back_a_key_that_was_given_away() -> None:
    # read_next is dropped (x is toggle_read's); its default r went to quit.
    found, problems = check('[keymap]\ntoggle_read = "x"\nquit = "r"\nread_next = "x"\n')
    assert found.keymap == {"toggle_read": "x", "quit": "r"}
    assert len(problems) == 2
    assert "read_next has no key left" in problems[1]


def test_an_entry_taking_a_default_key_wins_it_and_says_so() -> None:
    found, problems = check('[keymap]\nquit = "j"\n')
    assert found.keymap == {"quit": "j"}
    assert problems == [
        'config.toml: keymap: "j" is bound to both quit and next_paper (by default); '
        'using it for quit, so next_paper keeps only "down" '
        "(give it a key of its own in [keymap])"
    ]


def test_several_keys_of_one_clash_are_one_line() -> None:
    _, problems = check('[keymap]\nquit = "down,j"\n')
    assert problems == [
        'config.toml: keymap: "j" and "down" are bound to both quit and next_paper '
        "(by default); using them for quit, so next_paper has no key left "
        "(give it a key of its own in [keymap])"
    ]


def test_rebinding_both_sides_of_a_swap_is_no_clash() -> None:
    found, problems = check('[keymap]\ntoggle_read = "r"\nread_next = "space"\n')
    assert problems == []
    assert found.keymap == {"toggle_read": "r", "read_next": "space"}


def test_one_key_on_two_screens_is_no_clash() -> None:
    found, problems = check('[keymap]\nquit = "g"\npager_top = "x"\ntoggle_read = "x"\n')
    assert problems == []
    assert found.keymap == {"quit": "g", "pager_top": "x", "toggle_read": "x"}


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([*SCREENS["main"], *SCREENS["pager"], "nope"]),
        st.lists(st.sampled_from(["j", "x", "?", "question_mark", "r", "down", "g", "q"])).map(
            ",".join
        ),
    )
)
def test_after_loading_no_two_entries_share_a_key_on_a_screen(keymap: dict[str, str]) -> None:
    text = "[keymap]\n" + "".join(f'{k} = "{v}"\n' for k, v in keymap.items())
    with tempfile.TemporaryDirectory() as folder:
        found, problems = load_settings(
            write(text, Path(folder) / "config.toml"), keymap_screens=SCREENS
        )
    assert_one_clean_line_each(problems)
    for ids in SCREENS.values():
        taken = [key for i, keys in found.keymap.items() if i in ids for key in keys.split(",")]
        assert len(taken) == len(set(taken))
    assert set(found.keymap) <= set(SCREENS["main"]) | set(SCREENS["pager"])


# --- files that cannot be used ------------------------------------------------------


def test_a_file_that_is_not_utf8_means_the_defaults_and_says_where() -> None:
    assert check(b'theme = "nord"\npage_size = \xff\n') == (
        Settings(),
        ["config.toml is not UTF-8 (byte 0xff at offset 27); using the defaults"],
    )


def test_a_bom_is_fine() -> None:
    assert check(b'\xef\xbb\xbftheme = "nord"\n') == (Settings(theme="nord"), [])


def test_a_toml_error_gives_its_line_and_means_the_defaults() -> None:
    assert check('theme = "nord"\n\npage_size = \n') == (
        Settings(),
        ["config.toml is not valid TOML (line 3, column 13: invalid value); using the defaults"],
    )


def test_values_nested_too_deeply_are_a_toml_error() -> None:
    assert check("a = " + "[" * 5000) == (
        Settings(),
        ["config.toml is not valid TOML (values nested too deeply); using the defaults"],
    )


def test_a_file_that_cannot_be_read_means_the_defaults() -> None:
    config_path().mkdir(parents=True)
    settings_, problems = load_settings()
    assert settings_ == Settings()
    assert len(problems) == 1
    assert problems[0].startswith("config.toml could not be read (")
    assert problems[0].endswith("); using the defaults")


def test_messages_use_the_files_own_name(tmp_path: Path) -> None:
    _, problems = load_settings(write("backups = 0", tmp_path / "mine.toml"))
    assert problems[0].startswith("mine.toml: backups ")


def test_text_from_the_file_cannot_drive_the_terminal() -> None:
    hostile = '"\\u001b]52;c;aGk=\\u0007\\u202e"'
    _, problems = check(
        f'theme = {hostile}\npage_size = {hostile}\n{hostile} = 1\n[keymap]\n{hostile} = "x"\n'
    )
    assert len(problems) == 4
    assert_one_clean_line_each(problems)
    assert all("\u202e" not in problem and "\x07" not in problem for problem in problems)


def test_a_long_value_is_cut_short_in_the_message() -> None:
    _, problems = check(f'page_size = "{"9" * 500}"')
    assert len(problems[0]) < 200


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_load_settings_never_raises(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write(data, Path(folder) / "config.toml")
        found, problems = load_settings(path, themes=THEMES, keymap_screens=SCREENS)
    assert isinstance(found, Settings)
    assert_one_clean_line_each(problems)


# --- readq config ---------------------------------------------------------------------


def test_config_check_without_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "config", "check")
    assert (code, err) == (0, "")
    assert out == f"no config file at {config_path()}: readq uses the defaults.\n"


def test_config_check_of_a_good_file(capsys: pytest.CaptureFixture[str]) -> None:
    write('theme = "nord"\n[keymap]\ntoggle_read = "x"\n')
    assert run(capsys, "config", "check") == (0, f"{config_path()} is fine.\n", "")


def test_config_check_prints_what_the_app_shows_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from textual.theme import BUILTIN_THEMES

    from readq.tui.bindings import keymap_groups

    path = write('theme = "nrod"\nbackups = 0\n[keymap]\ntoggle_red = "x"\n')
    _, problems = load_settings(path, themes=BUILTIN_THEMES, keymap_screens=keymap_groups())
    code, out, err = run(capsys, "config", "check")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        *problems,
        f"readq: 3 problems in {path}; each line says what is used instead.",
    ]
    assert [p.split(":")[1].split()[0] for p in problems] == [
        "theme",
        "backups",
        "keymap.toggle_red",
    ]


def test_config_check_of_a_file_that_is_not_utf8(capsys: pytest.CaptureFixture[str]) -> None:
    write(b"\xff")
    code, _, err = run(capsys, "config", "check")
    assert code == 2
    assert err.splitlines()[0] == (
        "config.toml is not UTF-8 (byte 0xff at offset 0); using the defaults"
    )


def test_config_check_of_a_named_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    other = write("page_size = -1\n", tmp_path / "other.toml")
    code, _, err = run(capsys, "config", "check", str(other))
    assert code == 2
    assert err.startswith("other.toml: page_size ")
    code, _, err = run(capsys, "config", "check", str(tmp_path / "missing.toml"))
    assert (code, err) == (2, f"readq: {tmp_path / 'missing.toml'} does not exist.\n")


def test_config_path_and_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "config", "path") == (0, f"{config_path()}\n", "")
    code, out, _ = run(capsys, "config", "keys")
    assert code == 0
    assert "main:" in out.splitlines()
    assert any(line.split() == ["toggle_read", "space"] for line in out.splitlines())


def test_config_wants_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "config")
    assert code == 2
    assert len(err.splitlines()) == 1


# --- save_theme -----------------------------------------------------------------------


def test_save_theme_keeps_the_rest_of_the_file() -> None:
    path = write('# mine\npage_size = 30  # rows\ntheme = "nord"\n\n[keymap]\nquit = "Q"\n')
    save_theme("gruvbox")
    assert path.read_text() == (
        '# mine\npage_size = 30  # rows\ntheme = "gruvbox"\n\n[keymap]\nquit = "Q"\n'
    )
    assert load_settings()[0] == Settings(theme="gruvbox", page_size=30, keymap={"quit": "Q"})


def test_save_theme_adds_the_line_before_the_first_table() -> None:
    path = write('page_size = 30\n[keymap]\ntheme = "x"\n')
    save_theme("nord")
    assert path.read_text() == 'page_size = 30\ntheme = "nord"\n[keymap]\ntheme = "x"\n'


def test_save_theme_creates_the_file() -> None:
    save_theme("nord")
    assert config_path().read_text() == 'theme = "nord"\n'


def test_save_theme_keeps_a_bom_crlf_and_a_quoted_key() -> None:
    path = write(b'\xef\xbb\xbf"theme" = "nord"\r\npage_size = 3\r\n')
    save_theme("gruvbox")
    assert path.read_bytes() == b'\xef\xbb\xbftheme = "gruvbox"\r\npage_size = 3\r\n'


def test_save_theme_edits_a_file_that_is_not_valid_toml() -> None:
    path = write("page_size = \n")
    save_theme("nord")
    assert path.read_text() == 'page_size = \ntheme = "nord"\n'


def test_save_theme_writes_through_a_symlink(tmp_path: Path) -> None:
    real = write('theme = "nord"\n', tmp_path / "dotfiles" / "readq.toml")
    config_path().parent.mkdir(parents=True)
    config_path().symlink_to(real)
    save_theme("gruvbox")
    assert config_path().is_symlink()
    assert real.read_text() == 'theme = "gruvbox"\n'


def test_save_theme_never_overwrites_a_file_that_is_not_utf8() -> None:
    before = b'theme = "nord"\n# caf\xe9\n'
    path = write(before)
    with pytest.raises(ReadqError) as raised:
        save_theme("gruvbox")
    assert str(raised.value) == (
        "config.toml is not UTF-8 (byte 0xe9 at offset 20): "
        "the theme was not saved and the file is unchanged."
    )
    assert path.read_bytes() == before


def test_save_theme_never_overwrites_a_file_it_cannot_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = b'theme = "nord"\n'
    path = write(before)

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ReadqError, match=r"^config\.toml could not be read \(Permission denied\)"):
        save_theme("gruvbox")
    monkeypatch.undo()
    assert path.read_bytes() == before


def test_save_theme_reports_a_failed_write_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    before = b'theme = "nord"\n'
    path = write(before)

    def full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("readq.config.atomic_write", full)
    with pytest.raises(ReadqError) as raised:
        save_theme("gruvbox")
    assert str(raised.value) == (
        "config.toml could not be written (No space left on device): "
        "the theme was not saved and the file is unchanged."
    )
    assert path.read_bytes() == before


def test_save_theme_on_a_folder_raises_and_leaves_it() -> None:
    config_path().mkdir(parents=True)
    with pytest.raises(ReadqError, match="could not be read"):
        save_theme("nord")
    assert config_path().is_dir()


@pytest.mark.parametrize(
    ("value", "seconds"), [('"6h"', 21600.0), ('"30min"', 1800.0), ('"1d"', 86400.0)]
)
def test_fetch_every_takes_a_time(tmp_path: Path, value: str, seconds: float) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"fetch_every = {value}\n", encoding="utf-8")
    settings, problems = load_settings(path)
    assert (settings.fetch_every, problems) == (seconds, [])


def test_a_fetch_every_that_is_no_time_is_named(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('fetch_every = "often"\n', encoding="utf-8")
    settings, problems = load_settings(path)
    assert settings.fetch_every is None
    assert problems == [
        'config.toml: fetch_every must be a time such as "6h" (also min, d, w), not "often"; '
        "the app fetches only when asked (R)"
    ]
