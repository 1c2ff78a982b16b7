"""Every kind of configuration problem is reported with its file, line and key path."""

from __future__ import annotations

from tests.config.sample import ENV, VALID, load_text, problems_of, replacing, with_rule_when


class TestUnknownKeys:
    """Unknown keys anywhere are errors with a suggestion."""

    def test_a_misspelt_top_level_key_is_reported_with_a_suggestion(self) -> None:
        """`poll_intervall` is unknown and `poll_interval` is suggested, at its line."""
        text = "poll_intervall: 60s\n" + VALID

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:1: unknown key 'poll_intervall' (did you mean 'poll_interval'?)"
        ]

    def test_a_misspelt_condition_names_its_path_in_the_rule_tree(self) -> None:
        """`label_any` inside `any` is reported at `tiers.rules[0].when.any[0]`."""
        text = with_rule_when({"any": [{"label_any": ["outage"]}]})

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:12: tiers.rules[0].when.any[0]: unknown condition 'label_any'"
            " (did you mean 'labels_any'?)"
        ]

    def test_a_key_of_the_other_tracker_kind_is_reported(self) -> None:
        """`jql` on a GitHub tracker is refused at its own line."""
        text = VALID + "    jql: project = X\n"

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:19: trackers[0].jql: 'jql' is for jira trackers, not github"
        ]

    def test_a_duplicate_key_is_reported_with_the_first_line(self) -> None:
        """A key given twice in one mapping names the line of the first one."""
        text = VALID + "    team: bob\n"

        problems = problems_of(text)

        assert problems == ["syncd.yaml:19: trackers[0].team: duplicate key (first at line 18)"]


class TestWrongValues:
    """Values of the wrong type or form are reported at their line and path."""

    def test_a_boolean_where_a_string_is_expected_says_to_quote_it(self) -> None:
        """`jira: no` is YAML's false, not the user name "no"."""
        text = replacing("{github: bobby, jira: bob}", "{github: bobby, jira: no}")

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:3: people.bob.jira: expected a string, got a boolean"
            " (YAML read 'no' as a boolean; put it in quotes)"
        ]

    def test_a_bad_duration_explains_the_expected_form(self) -> None:
        """`poll_interval: 5 minutes` is not a duration."""
        problems = problems_of("poll_interval: 5 minutes\n" + VALID)

        assert len(problems) == 1
        assert problems[0].startswith("syncd.yaml:1: poll_interval: not a duration: '5 minutes'")

    def test_a_poll_interval_under_ten_seconds_is_refused(self) -> None:
        """The minimum poll interval is 10s."""
        problems = problems_of("poll_interval: 5s\n" + VALID)

        assert problems == ["syncd.yaml:1: poll_interval: must be at least 10s"]

    def test_a_bad_regex_carries_the_regex_error(self) -> None:
        """An unbalanced parenthesis in `title` is reported with re's own explanation."""
        text = with_rule_when({"title": "(outage"})

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:12: tiers.rules[0].when.title: invalid regex '(outage':"
            " missing ), unterminated subpattern at position 0"
        ]

    def test_a_github_regex_without_a_group_is_refused(self) -> None:
        """`priority_label` must capture the priority name in group 1."""
        text = VALID + '    priority_label: "priority/.+"\n'

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:19: trackers[0].priority_label: regex 'priority/.+' needs a group:"
            " group 1 is the value it reads"
        ]

    def test_an_unknown_time_zone_is_refused(self) -> None:
        """`Mars/Olympus` is no IANA time zone."""
        text = replacing("America/Detroit", "Mars/Olympus")

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:5: rotation.timezone: unknown time zone 'Mars/Olympus'"
            " (expected an IANA name like Europe/Berlin)"
        ]

    def test_a_time_zone_in_the_wrong_case_suggests_the_iana_name(self) -> None:
        """`europe/berlin` is refused with "did you mean 'Europe/Berlin'?"."""
        text = replacing("America/Detroit", "europe/berlin")

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:5: rotation.timezone: unknown time zone 'europe/berlin'"
            " (did you mean 'Europe/Berlin'?)"
        ]

    def test_a_misspelt_time_zone_suggests_the_closest_iana_name(self) -> None:
        """`Europe/Berln` is refused with "did you mean 'Europe/Berlin'?"."""
        text = replacing("America/Detroit", "Europe/Berln")

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:5: rotation.timezone: unknown time zone 'Europe/Berln'"
            " (did you mean 'Europe/Berlin'?)"
        ]

    def test_an_unquoted_handoff_time_is_explained(self) -> None:
        """YAML reads 9:30 as the number 570; the message says to quote it."""
        text = replacing("  start: 2026-11-02\n", "  start: 2026-11-02\n  handoff_time: 9:30\n")

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:7: rotation.handoff_time: YAML reads 9:30 as a number:"
            ' write it in quotes, "HH:MM"'
        ]

    def test_an_invalid_calendar_date_is_refused(self) -> None:
        """2026-13-45 looks like a date to YAML but is none."""
        text = replacing("start: 2026-11-02", "start: 2026-13-45")

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:6: rotation.start: not a valid date: '2026-13-45' (month must be in 1..12)"
        ]

    def test_a_start_on_a_weekend_is_refused(self) -> None:
        """Shift 0 must begin on a working day."""
        text = replacing("start: 2026-11-02", "start: 2026-11-01")

        problems = problems_of(text)

        assert problems == ["syncd.yaml:6: rotation.start: 2026-11-01 is not a working day"]

    def test_a_huge_number_is_out_of_range(self) -> None:
        """A shift of 10**30 days is refused, not overflowed."""
        text = replacing(
            "  start: 2026-11-02\n", "  start: 2026-11-02\n  shift_length: " + "9" * 30 + "\n"
        )

        problems = problems_of(text)

        assert problems == ["syncd.yaml:7: rotation.shift_length: must be between 1 and 366"]

    def test_a_repo_not_written_owner_slash_name_is_refused(self) -> None:
        """`repos` entries look like owner/name; the bad item is pointed at."""
        text = replacing("repos: [acme/web]", "repos: [acme/web, justweb]")

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:16: trackers[0].repos[1]: expected owner/name, got 'justweb'"
        ]


class TestPeopleReferences:
    """Every person referenced must exist in `people`, and have the identities needed."""

    def test_an_unknown_rotation_member_is_reported_with_a_suggestion(self) -> None:
        """`alicia` is not in people; `alice` is suggested."""
        text = replacing("members: [alice, bob]", "members: [alicia, bob]")

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:7: rotation.members[0]: unknown person 'alicia' (did you mean 'alice'?):"
            " not listed in people"
        ]

    def test_an_unknown_fallback_is_reported(self) -> None:
        """The fallback must be a person."""
        text = replacing("  start: 2026-11-02\n", "  start: 2026-11-02\n  fallback: zed\n")

        assert problems_of(text) == [
            "syncd.yaml:7: rotation.fallback: unknown person 'zed': not listed in people"
        ]

    def test_an_unknown_tracker_team_is_reported(self) -> None:
        """A tracker's team must be a person."""
        text = replacing("team: alice", "team: carol")

        assert problems_of(text) == [
            "syncd.yaml:18: trackers[0].team: unknown person 'carol': not listed in people"
        ]

    def test_skip_and_override_members_must_be_people(self) -> None:
        """An unknown skip member and an unknown override person are both reported."""
        text = replacing(
            "  members: [alice, bob]\n",
            "  members: [alice]\n"
            "  skips: [{member: dave, from: 2026-12-01, to: 2026-12-02}]\n"
            "  overrides: [{member: erin, start: '2026-12-10T13:00', end: '2026-12-11T09:00'}]\n",
        )

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:8: rotation.skips[0].member: unknown person 'dave': not listed in people",
            "syncd.yaml:9: rotation.overrides[0].member: unknown person 'erin':"
            " not listed in people",
        ]

    def test_a_person_outside_the_rotation_may_cover_an_override(self) -> None:
        """bob is in `people` but not a member: he may still cover a shift by override."""
        text = replacing(
            "  members: [alice, bob]\n",
            "  members: [alice]\n"
            "  overrides: [{member: bob, start: '2026-12-10T13:00', end: '2026-12-11T09:00'}]\n",
        )

        config = load_text(text)

        assert [o.member for o in config.rotation.overrides] == ["bob"]

    def test_a_member_without_an_identity_for_a_configured_kind_is_reported(self) -> None:
        """bob has no jira identity, but a Jira tracker exists and bob is on the rotation."""
        text = replacing("{github: bobby, jira: bob}", "{github: bobby}") + (
            "  - name: support\n    kind: jira\n    url: https://acme.atlassian.net\n"
            "    token: ${JIRA_TOKEN}\n    jql: project = SUP\n    team: alice\n"
        )

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:3: people.bob: no 'jira' identity for tracker 'support' (a Jira"
            " tracker), and bob is a rotation member"
        ]

    def test_a_duplicate_member_is_reported(self) -> None:
        """The same person twice in the rotation order is an error."""
        text = replacing("members: [alice, bob]", "members: [alice, bob, alice]")

        assert problems_of(text) == ["syncd.yaml:7: rotation.members[2]: 'alice' is a member twice"]


class TestSecretsAndStructure:
    """Unset variables, missing keys, duplicate names, syntax errors, several at once."""

    def test_an_unset_variable_is_named_and_no_secret_is_shown(self) -> None:
        """The message names GITHUB_TOKEN and never contains another variable's value."""
        env = {"JIRA_TOKEN": ENV["JIRA_TOKEN"]}

        problems = problems_of(VALID, env)

        assert problems == [
            "syncd.yaml:17: trackers[0].token: environment variable GITHUB_TOKEN is not set"
        ]

    def test_a_secret_never_appears_in_errors_about_its_field(self) -> None:
        """A token that is set but with a trailing newline is refused without quoting it."""
        env = {"GITHUB_TOKEN": "ghp-very-secret\n"}

        problems = problems_of(VALID, env)

        assert problems == [
            "syncd.yaml:17: trackers[0].token: environment variable GITHUB_TOKEN has leading"
            " or trailing whitespace"
        ]
        assert "ghp-very-secret" not in "\n".join(problems)

    def test_a_variable_used_in_an_ordinary_field_is_not_quoted_back(self) -> None:
        """A token substituted into `repos` by mistake shows as `${GITHUB_TOKEN}`, not its value."""
        text = replacing("repos: [acme/web]", 'repos: ["${GITHUB_TOKEN}"]')

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:16: trackers[0].repos[0]: expected owner/name, got '${GITHUB_TOKEN}'"
        ]

    def test_a_url_with_a_password_is_refused_without_quoting_it(self) -> None:
        """Credentials belong in token/email; the password is not echoed back."""
        text = VALID + "    base_url: https://me:hunter22@ghe.example.com\n"

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:19: trackers[0].base_url: the URL must not hold credentials"
            " (user:password@): use token/email"
        ]

    def test_duplicate_tracker_names_are_reported(self) -> None:
        """Two trackers called `web` are refused at the second name."""
        text = VALID + "  - name: web\n    kind: github\n    repos: [acme/api]\n"
        text += "    token: ${GITHUB_TOKEN}\n    team: alice\n"

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:19: trackers[1].name: duplicate tracker name 'web' (first at line 14)"
        ]

    def test_missing_required_keys_are_each_reported(self) -> None:
        """A rotation without timezone and a tracker without repos report both keys."""
        text = replacing("  timezone: America/Detroit\n", "")
        text = replacing("    repos: [acme/web]\n", "", text)

        problems = problems_of(text)

        assert problems == [
            "syncd.yaml:5: rotation: missing required key 'timezone'",
            "syncd.yaml:13: trackers[0]: missing required key 'repos'",
        ]

    def test_a_yaml_syntax_error_names_its_line(self) -> None:
        """An unclosed flow mapping is a syntax error at the line YAML noticed it."""
        text = replacing("{github: bobby, jira: bob}", "{github: bobby, jira: bob")

        problems = problems_of(text)

        assert len(problems) == 1
        assert problems[0].startswith(
            "syncd.yaml:4: YAML syntax error: while parsing a flow mapping"
        )

    def test_an_unquoted_comparison_is_explained_with_the_quoted_form(self) -> None:
        """`reporters: >= 5` starts a YAML block scalar: the error says to write '>= 5'."""
        text = replacing("when: {labels_any: [outage]}", "when:\n        reporters: >= 5")

        problems = problems_of(text)

        assert len(problems) == 1
        assert problems[0].startswith("syncd.yaml:13: YAML syntax error")
        assert problems[0].endswith("; quote it: '>= 5'")

    def test_several_problems_are_reported_at_once_in_file_order(self) -> None:
        """An unknown key, a bad zone and an unset variable come back together."""
        text = replacing("America/Detroit", "Nowhere/Land", "colour: blue\n" + VALID)

        problems = problems_of(text, env={})

        assert [p.split(": ")[0] for p in problems] == [
            "syncd.yaml:1",
            "syncd.yaml:6",
            "syncd.yaml:18",
        ]
        assert "unknown key 'colour'" in problems[0]
        assert "unknown time zone 'Nowhere/Land'" in problems[1]
        assert "GITHUB_TOKEN is not set" in problems[2]


class TestUnreadableDocuments:
    """Whole-document problems: empty, not a mapping, junk."""

    def test_an_empty_file_is_refused(self) -> None:
        """An empty document says what the file needs."""
        assert problems_of("") == [
            "syncd.yaml: the file is empty: it needs people, rotation, tiers, trackers"
        ]

    def test_a_list_at_the_top_level_is_refused(self) -> None:
        """The top level must be a mapping."""
        assert problems_of("- a\n- b\n") == [
            "syncd.yaml:1: the top level must be a mapping (people, rotation, ...), not a list"
        ]

    def test_control_characters_are_refused_without_a_traceback(self) -> None:
        """Binary junk decoded as text is not a YAML document."""
        problems = problems_of("\x00\x01\x02garbage")

        assert len(problems) == 1
        assert problems[0].startswith("syncd.yaml: not a YAML document: unacceptable character")

    def test_a_python_object_tag_is_refused(self) -> None:
        """SafeLoader-only: tags that construct objects are refused by name."""
        problems = problems_of("poll_interval: !!python/object:os.system ls\n" + VALID)

        assert problems == [
            "syncd.yaml:1: unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system'"
        ]

    def test_a_self_referencing_alias_is_refused(self) -> None:
        """An alias that contains itself would never end; it is refused."""
        problems = problems_of("a: &x [*x]\n")

        assert len(problems) == 1
        assert "nested too deeply" in problems[0]
