"""Validated content is kept between kernels (widgets/content.kept), and never goes stale."""

from __future__ import annotations

import pytest

from widgets.content import loader as content_mod
from widgets.content.cases import load_cases
from widgets.content.loader import ContentError, kept


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("LOWBACK_CACHE", str(folder))
    return folder


def counting(assets):
    calls = []

    def build():
        calls.append(1)
        return content_mod._validated(assets)

    return build, calls


def test_a_second_kernel_reads_what_the_first_validated(assets_copy, cache):
    build, calls = counting(assets_copy)
    first = kept("content", assets_copy, build)
    second = kept("content", assets_copy, build)  # as a new kernel would: from the file
    assert calls == [1]
    assert second is not first and second.structures.keys() == first.structures.keys()
    assert second.source_label("smith2020") == "Smith 2020"
    assert len(list(cache.glob("content-*.pickle"))) == 1


def test_an_edited_file_is_read_again_and_the_old_result_removed(assets_copy, cache):
    build, calls = counting(assets_copy)
    kept("content", assets_copy, build)
    old = set(cache.glob("content-*.pickle"))
    path = assets_copy / "structures.yaml"
    path.write_text(path.read_text().replace("Facet", "Zygapophyseal", 1))
    again = kept("content", assets_copy, build)
    assert calls == [1, 1]
    assert any("Zygapophyseal" in st.name for st in again.structures.values())
    new = set(cache.glob("content-*.pickle"))
    assert len(new) == 1 and new.isdisjoint(old)


def test_a_damaged_cache_file_is_rebuilt(assets_copy, cache):
    build, calls = counting(assets_copy)
    kept("content", assets_copy, build)
    (file,) = cache.glob("content-*.pickle")
    file.write_bytes(b"not a pickle")
    assert set(kept("content", assets_copy, build).structures) == {"facet_joints", "multifidus"}
    assert calls == [1, 1]


def test_content_that_does_not_load_is_never_kept(assets_copy, cache):
    (assets_copy / "roots.yaml").write_text("roots: [")
    build, _ = counting(assets_copy)
    with pytest.raises(ContentError):
        kept("content", assets_copy, build)
    assert not cache.exists() or not list(cache.glob("*.pickle"))


def test_off_and_an_unwritable_folder_only_cost_time(assets_copy, tmp_path, monkeypatch):
    build, calls = counting(assets_copy)
    monkeypatch.setenv("LOWBACK_CACHE", "off")
    kept("content", assets_copy, build)
    kept("content", assets_copy, build)
    assert calls == [1, 1]
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("LOWBACK_CACHE", str(blocker / "cache"))  # a folder that cannot be made
    assert set(kept("content", assets_copy, build).structures) == {"facet_joints", "multifidus"}
    assert calls == [1, 1, 1]


@pytest.fixture
def fresh_memory():
    """This process forgets what it loaded, as a new kernel would, before and after the test."""
    from widgets.content import cases as cases_mod

    def forget():
        content_mod._cached.cache_clear()
        cases_mod._kept_cases.cache_clear()

    forget()
    yield forget
    forget()


def test_the_shipped_content_and_cases_come_back_the_same_from_the_cache(cache, fresh_memory):
    validated = content_mod._validated(content_mod.assets_root())
    fresh = load_cases()
    assert list(cache.glob("cases-*.pickle")) and list(cache.glob("content-*.pickle"))
    fresh_memory()
    assert content_mod.load_content() == validated
    again = load_cases()
    assert again == fresh and again.keys() == fresh.keys()
