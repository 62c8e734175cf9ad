def test_home_shows_force_user_rank_and_team(signed_in, settings):
    client, user = signed_in(roles=("supervisor",), rank="PS", team="RESP")
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert settings.HAVEN_FORCE_NAME in body
    assert user.display_name in body
    assert "Police Sergeant" in body
    assert "Team RESP" in body
    assert 'data-testid="no-work"' in body


def test_home_requires_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_user_without_second_factor_must_enrol_first(client, make_user):
    user = make_user(mfa=False)
    response = client.post("/sign-in/", {"username": user.username, "password": "correct-horse-battery-staple"})
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/second-factor/"
    assert "Set up a second factor" in client.get("/second-factor/").content.decode()
