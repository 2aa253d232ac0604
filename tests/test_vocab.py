"""The vocabularies: every spelling a clinician might type, refusals that teach, and the
broader→narrower relation the table lookups rely on."""

from __future__ import annotations

import pytest

from mscdose.errors import ExitCode, MscdoseError, VocabularyError
from mscdose.text import vocab

ALLOWED_BASES = {"per_kg", "per_patient", "per_m2", "per_cm2", "per_ml"}
INTRAVASCULAR = {"intravenous", "intra_arterial", "hepatic_artery", "portal_vein", "intracoronary"}
VOCABS = {
    "route": vocab.ROUTES,
    "source": vocab.SOURCES,
    "indication": vocab.INDICATIONS,
    "population": vocab.POPULATIONS,
    "category": vocab.CATEGORIES,
}

LOOKUPS = [
    # routes: English, abbreviations, spelling variants, the source article's Chinese
    ("route", "IV", "intravenous"),
    ("route", "i.v.", "intravenous"),
    ("route", "Intravenous", "intravenous"),
    ("route", "静脉", "intravenous"),
    ("route", "静脉输注", "intravenous"),
    ("route", "外周静脉输入", "intravenous"),
    ("route", "intra-arterial", "intra_arterial"),
    ("route", "肝动脉", "hepatic_artery"),
    ("route", "hepatic artery", "hepatic_artery"),
    ("route", "portal vein", "portal_vein"),
    ("route", "门静脉", "portal_vein"),
    ("route", "鞘内", "intrathecal"),
    ("route", "脊髓鞘内注射", "intrathecal"),
    ("route", "intracerebral", "intraparenchymal"),
    ("route", "stereotactic", "intraparenchymal"),
    ("route", "脑实质", "intraparenchymal"),
    ("route", "气管内", "intratracheal"),
    ("route", "ITr", "intratracheal"),
    ("route", "endotracheal", "intratracheal"),
    ("route", "intranasal", "intranasal"),
    ("route", "intra-articular", "intra_articular"),
    ("route", "Intra Articular", "intra_articular"),
    ("route", "intra_articular", "intra_articular"),
    ("route", "关节腔", "intra_articular"),
    ("route", "肌肉注射", "intramuscular"),
    ("route", "冠脉", "intracoronary"),
    ("route", "冠状动脉", "intracoronary"),
    ("route", "心肌", "intramyocardial"),
    ("route", "TESI", "transendocardial"),
    ("route", "transendocardial", "transendocardial"),
    ("route", "intralesional", "intralesional"),
    ("route", "宫腔内", "intrauterine"),
    ("route", "intradiscal", "intradiscal"),
    ("route", "SC", "subcutaneous"),
    ("route", "topical", "topical"),
    ("route", "scaffold", "local_scaffold"),
    ("route", "生物支架", "local_scaffold"),
    ("route", "intraosseous", "intraosseous"),
    ("route", "ＩＶ", "intravenous"),
    # cell sources
    ("source", "BM", "bone_marrow"),
    ("source", "骨髓", "bone_marrow"),
    ("source", "UC", "umbilical_cord"),
    ("source", "WJ", "umbilical_cord"),
    ("source", "Wharton's jelly", "umbilical_cord"),
    ("source", "Wharton’s Jelly", "umbilical_cord"),
    ("source", "脐带", "umbilical_cord"),
    ("source", "UCB", "cord_blood"),
    ("source", "脐血", "cord_blood"),
    ("source", "AD", "adipose"),
    ("source", "ADSC", "adipose"),
    ("source", "脂肪", "adipose"),
    ("source", "胎盘", "placenta"),
    ("source", "牙髓", "dental_pulp"),
    ("source", "经血", "menstrual_blood"),
    ("source", "mixed", "unspecified"),
    # indications: English, abbreviations, British and US spellings, Chinese
    ("indication", "GVHD", "gvhd"),
    ("indication", "GvHD", "gvhd"),
    ("indication", "移植物抗宿主病", "gvhd"),
    ("indication", "aGVHD", "gvhd_acute"),
    ("indication", "SR-aGVHD", "gvhd_acute_steroid_refractory"),
    ("indication", "steroid-refractory acute GVHD", "gvhd_acute_steroid_refractory"),
    ("indication", "激素抵抗性GVHD", "gvhd_acute_steroid_refractory"),
    ("indication", "BPD", "bpd"),
    ("indication", "支气管肺发育不良", "bpd"),
    ("indication", "脑瘫", "cerebral_palsy"),
    ("indication", "cerebral palsy", "cerebral_palsy"),
    ("indication", "克罗恩病", "crohns_disease"),
    ("indication", "Crohn's disease", "crohns_disease"),
    ("indication", "克隆氏病肠瘘", "perianal_fistula_crohns"),
    ("indication", "肝衰竭", "liver_failure"),
    ("indication", "ACLF", "acute_on_chronic_liver_failure"),
    ("indication", "肝硬化", "cirrhosis"),
    ("indication", "骨关节炎", "osteoarthritis"),
    ("indication", "knee OA", "knee_osteoarthritis"),
    ("indication", "系统性红斑狼疮", "sle"),
    ("indication", "lupus", "sle"),
    ("indication", "类风湿", "rheumatoid_arthritis"),
    ("indication", "1型糖尿病", "type1_diabetes"),
    ("indication", "T1DM", "type1_diabetes"),
    ("indication", "肾移植", "kidney_transplant"),
    ("indication", "再生障碍性贫血", "aplastic_anemia"),
    ("indication", "aplastic anaemia", "aplastic_anemia"),
    ("indication", "aplastic anemia", "aplastic_anemia"),
    ("indication", "多发性硬化", "multiple_sclerosis"),
    ("indication", "肌萎缩侧索硬化", "als"),
    ("indication", "ALS", "als"),
    ("indication", "motor neurone disease", "als"),
    ("indication", "脊髓损伤", "spinal_cord_injury"),
    ("indication", "自闭症", "autism"),
    ("indication", "孤独症", "autism"),
    ("indication", "慢性阻塞性肺疾病", "copd"),
    ("indication", "COPD", "copd"),
    ("indication", "宫腔粘连", "intrauterine_adhesions"),
    ("indication", "Asherman syndrome", "intrauterine_adhesions"),
    ("indication", "critical limb ischaemia", "critical_limb_ischemia"),
    ("indication", "critical limb ischemia", "critical_limb_ischemia"),
    ("indication", "ischaemic cardiomyopathy", "ischemic_cardiomyopathy"),
    ("indication", "ischemic cardiomyopathy", "ischemic_cardiomyopathy"),
    ("indication", "AMI", "acute_myocardial_infarction"),
    ("indication", "急性心肌梗塞", "acute_myocardial_infarction"),
    ("indication", "股骨头坏死", "osteonecrosis_femoral_head"),
    ("indication", "avascular necrosis", "osteonecrosis_femoral_head"),
    ("indication", "糖尿病肢体大疱病", "diabetic_foot"),
    ("indication", "co-transplant", "hsct_cotransplant"),
    ("indication", "共移植", "hsct_cotransplant"),
    ("indication", "any", "all_indications"),
    ("indication", "liver failure", "liver_failure"),
    ("indication", "Buerger's disease", "thromboangiitis_obliterans"),
    # populations
    ("population", "adults", "adult"),
    ("population", "成人", "adult"),
    ("population", "children", "pediatric"),
    ("population", "paediatric", "pediatric"),
    ("population", "child", "pediatric"),
    ("population", "infant", "pediatric"),
    ("population", "儿童", "pediatric"),
    ("population", "newborn", "neonate"),
    ("population", "新生儿", "neonate"),
    ("population", "premature", "preterm"),
    ("population", "早产儿", "preterm"),
    ("population", "mixed", "mixed"),
    # categories
    ("category", "haematological", "hematological"),
    ("category", "hematological", "hematological"),
    ("category", "hepatic", "liver"),
    ("category", "GI", "gastrointestinal"),
]


@pytest.mark.parametrize(("kind", "text", "expected"), LOOKUPS)
def test_lookup(kind: str, text: str, expected: str) -> None:
    assert vocab.resolve(kind, text) == expected


def test_named_resolvers() -> None:
    assert vocab.resolve_route("i.v.") == "intravenous"
    assert vocab.resolve_source("Wharton's jelly") == "umbilical_cord"
    assert vocab.resolve_indication("SR-aGVHD") == "gvhd_acute_steroid_refractory"
    assert vocab.resolve_population("早产儿") == "preterm"
    assert vocab.resolve_category("haematological") == "hematological"


@pytest.mark.parametrize("kind", list(VOCABS))
def test_every_spelling_resolves_to_its_own_term(kind: str) -> None:
    """No alias is shared by two terms of a vocabulary (after folding case and separators)."""
    for term in VOCABS[kind].values():
        for spelling in (term.name, term.label, *term.aliases):
            assert vocab.resolve(kind, spelling) == term.name, (spelling, term.name)


@pytest.mark.parametrize(
    ("resolver", "text", "suggestion"),
    [
        (vocab.resolve_route, "intravenus", "intravenous"),
        (vocab.resolve_route, "intrathecall", "intrathecal"),
        (vocab.resolve_route, "intramyocardium", "intramyocardial"),
        (vocab.resolve_indication, "lever failure", "liver_failure"),
        (vocab.resolve_indication, "cirrhosiss", "cirrhosis"),
        (vocab.resolve_indication, "liver", "liver_disease"),
        (vocab.resolve_source, "umbilical", "umbilical_cord"),
        (vocab.resolve_population, "neonat", "neonate"),
    ],
)
def test_unknown_names_are_refused_with_suggestions(
    resolver: object, text: str, suggestion: str
) -> None:
    if text == "liver":  # "liver" is itself an alias of liver_disease: check a near miss instead
        text = "livr disease"
    with pytest.raises(VocabularyError) as info:
        resolver(text)  # type: ignore[operator]
    error = info.value
    assert suggestion in error.suggestions
    assert error.given == text
    assert "did you mean" in str(error)
    assert isinstance(error, MscdoseError) and error.exit_code == ExitCode.INVALID


@pytest.mark.parametrize(
    ("kind", "text", "fragment"),
    [
        ("route", "xyzzy", "mscdose routes"),
        ("indication", "qqqq", "mscdose indications"),
        ("population", "toddlerz", "adult, pediatric"),
        ("route", "   ", "empty route"),
    ],
)
def test_refusal_without_suggestions_says_where_to_look(
    kind: str, text: str, fragment: str
) -> None:
    with pytest.raises(VocabularyError) as info:
        vocab.resolve(kind, text)
    assert fragment in str(info.value)


def test_broader_name_finds_narrower_terms() -> None:
    liver_failure = vocab.narrower("indication", "liver failure")
    assert {
        "liver_failure",
        "acute_on_chronic_liver_failure",
        "hbv_acute_on_chronic_liver_failure",
    } <= liver_failure
    assert "cirrhosis" not in liver_failure
    assert vocab.narrower("route", "intramyocardial") == {"intramyocardial", "transendocardial"}
    assert vocab.narrower("route", "intra-arterial") == {"intra_arterial", "hepatic_artery"}
    assert vocab.narrower("population", "pediatric") == {"pediatric", "neonate", "preterm"}
    assert {"gvhd_acute", "gvhd_acute_steroid_refractory", "gvhd_chronic"} <= vocab.narrower(
        "indication", "GVHD"
    )
    assert {"acute_myocardial_infarction", "ischemic_cardiomyopathy"} <= vocab.narrower(
        "indication", "ischemic_heart_disease"
    )
    assert vocab.narrower("route", "intravenous") == {"intravenous"}
    assert vocab.narrower("indication", "all_indications") == {"all_indications"}


def test_broader_chain() -> None:
    assert vocab.broader_chain("population", "preterm") == ("preterm", "neonate", "pediatric")
    assert vocab.broader_chain("indication", "HBV-ACLF") == (
        "hbv_acute_on_chronic_liver_failure",
        "acute_on_chronic_liver_failure",
        "liver_failure",
        "liver_disease",
    )
    assert vocab.broader_chain("route", "TESI") == ("transendocardial", "intramyocardial")
    assert vocab.broader_chain("route", "IV") == ("intravenous",)
    assert vocab.broader_chain("indication", "SR-aGVHD")[-1] == "gvhd"


def test_unknown_vocabulary_kind_is_our_error() -> None:
    with pytest.raises(MscdoseError):
        vocab.narrower("drug", "aspirin")


@pytest.mark.parametrize("kind", list(VOCABS))
def test_hierarchy_is_a_forest(kind: str) -> None:
    terms = VOCABS[kind]
    for name, term in terms.items():
        assert term.name == name and name == name.lower() and " " not in name
        if term.broader is not None:
            assert term.broader in terms, (name, term.broader)
        chain = vocab.broader_chain(kind, name)
        assert len(chain) == len(set(chain))
        assert name in vocab.narrower(kind, chain[-1])


def test_every_route_has_bases_and_sourced_notes() -> None:
    assert set(vocab.ROUTES) >= {
        "intravenous",
        "intra_arterial",
        "hepatic_artery",
        "portal_vein",
        "intrathecal",
        "intraparenchymal",
        "intratracheal",
        "intranasal",
        "intra_articular",
        "intramuscular",
        "intracoronary",
        "intramyocardial",
        "transendocardial",
        "intralesional",
        "intrauterine",
        "intradiscal",
        "subcutaneous",
        "topical",
        "local_scaffold",
        "intraosseous",
    }
    for name, route in vocab.ROUTES.items():
        assert route.bases and route.bases <= ALLOWED_BASES, name
        assert route.notes, f"{name} has no notes"
        for note in route.notes:
            assert note.text.strip() and note.source.strip(), name
            assert note.confidence in ("confirmed", "probable", "unconfirmed")
        assert route.systemic == (name in INTRAVASCULAR), name


def test_route_notes_carry_the_key_facts() -> None:
    def text(route: str) -> str:
        return " ".join(n.text + " " + n.source for n in vocab.ROUTES[route].notes)

    assert "27-33.5%" in text("intravenous") and "Gholamrezanezhad" in text("intravenous")
    assert "14-20 µm" in text("intravenous")
    assert "72 h" in text("intrathecal") and "24-72 h" in text("intrathecal")
    assert "88.9%" in text("intraparenchymal") and "Steinberg" in text("intraparenchymal")
    for route in ("intra_arterial", "intracoronary"):
        assert "Ge J" in text(route) and "PMC3700384" in text(route)
    assert "Gleeson" in text("intracoronary")
    assert any(n.confidence == "unconfirmed" for n in vocab.SOURCES["cord_blood"].notes)  # Q6


def test_bases_fit_the_route() -> None:
    assert "per_kg" in vocab.ROUTES["intravenous"].bases
    assert "per_kg" in vocab.ROUTES["intratracheal"].bases  # neonatal per-kg dosing
    assert "per_cm2" in vocab.ROUTES["intra_articular"].bases  # Cartistem
    assert "per_cm2" in vocab.ROUTES["intralesional"].bases  # Cupistem per cm² of fistula
    assert "per_kg" not in vocab.ROUTES["intraparenchymal"].bases


def test_indications_cover_the_fact_base() -> None:
    required = {
        "all_indications",
        "gvhd",
        "gvhd_acute",
        "gvhd_acute_steroid_refractory",
        "hsct_cotransplant",
        "liver_failure",
        "acute_on_chronic_liver_failure",
        "hbv_acute_on_chronic_liver_failure",
        "liver_disease",
        "cirrhosis",
        "decompensated_cirrhosis",
        "osteonecrosis_femoral_head",
        "diabetic_foot",
        "critical_limb_ischemia",
        "ischemic_heart_disease",
        "acute_myocardial_infarction",
        "ischemic_cardiomyopathy",
        "cerebral_palsy",
        "stroke",
        "multiple_sclerosis",
        "als",
        "spinal_cord_injury",
        "autism",
        "bpd",
        "copd",
        "ards",
        "crohns_disease",
        "perianal_fistula_crohns",
        "luminal_crohns",
        "sle",
        "rheumatoid_arthritis",
        "type1_diabetes",
        "kidney_transplant",
        "aplastic_anemia",
        "intrauterine_adhesions",
        "bone_defect",
        "knee_osteoarthritis",
        "cartilage_defect",
    }
    assert required <= set(vocab.INDICATIONS)
    for name, term in vocab.INDICATIONS.items():
        assert term.category in vocab.CATEGORIES, name
    assert vocab.INDICATIONS["all_indications"].category == "all"


def test_term_api_shape() -> None:
    note = vocab.Note("text", "D01")
    assert (note.text, note.source) == ("text", "D01")
    term = vocab.Term("x", "X")
    assert term.aliases == () and term.broader is None and term.notes == ()
    assert isinstance(vocab.ROUTES["intravenous"], vocab.Term)
    with pytest.raises(AttributeError):
        term.name = "y"  # type: ignore[misc]


def test_populations_are_the_models_population_names() -> None:
    """make_patient relies on it: a resolved population name is a Population literal."""
    from typing import get_args

    from mscdose.models import Population

    assert set(vocab.POPULATIONS) == set(get_args(Population))


# Abbreviations written for two routes in the field's papers (IT: intrathecal in cerebral
# palsy trials, intratracheal in BPD trials; IA: intra-articular in knee papers,
# intra-arterial in stroke and liver papers): refused, every reading named.
@pytest.mark.parametrize(
    ("abbreviation", "readings"),
    [
        ("IT", ("intrathecal", "intratracheal")),
        ("i.t.", ("intrathecal", "intratracheal")),
        ("IA", ("intra-articular", "intra-arterial")),
        ("IC", ("intracoronary", "intracerebral", "intracavernous")),
        ("IO", ("intraosseous", "intraocular")),
        ("IM", ("intramuscular", "intramyocardial")),
    ],
)
def test_ambiguous_route_abbreviations_are_refused(
    abbreviation: str, readings: tuple[str, ...]
) -> None:
    from mscdose.errors import VocabularyError

    with pytest.raises(VocabularyError) as caught:
        vocab.resolve_route(abbreviation)
    message = str(caught.value)
    assert all(reading in message for reading in readings)


def test_no_alias_resolves_two_ways() -> None:
    """No spelling is claimed by two terms of one vocabulary (after folding), and no refused
    abbreviation is also an alias."""
    assert not any(vocab.CLAIMED_TWICE.values())
    for kind, refused in vocab.AMBIGUOUS.items():
        for abbreviation in refused:
            assert vocab._key(abbreviation) not in vocab._LOOKUP[kind], abbreviation
