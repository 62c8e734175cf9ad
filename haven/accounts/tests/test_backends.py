"""The signed-in user comes with their rank and team, which every page header shows."""

from __future__ import annotations

from haven.accounts.backends import PasswordBackend


def test_signed_in_user_is_loaded_with_rank_and_team_in_one_query(make_user, django_assert_num_queries):
    officer = make_user("pc-backend", rank="PC")
    with django_assert_num_queries(1):
        user = PasswordBackend().get_user(officer.pk)
        assert user.rank.code == "PC"
        assert user.team.code == officer.team.code


def test_inactive_user_is_not_signed_in(make_user):
    officer = make_user("pc-gone")
    officer.is_active = False
    officer.save()
    assert PasswordBackend().get_user(officer.pk) is None


def test_a_permission_check_reads_nothing_from_the_database(make_user, django_assert_num_queries):
    # Roles answer; Django's permission tables (two queries a request before) are never read.
    officer = PasswordBackend().get_user(make_user("pc-perm", roles=("response_officer",)).pk)
    with django_assert_num_queries(0):
        assert officer.has_perm("cases:case:view")
        assert not officer.has_perm("audit:log:view")
