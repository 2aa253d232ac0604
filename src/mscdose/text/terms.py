"""The terms of the vocabularies: routes, cell sources, indications, populations and disease
categories, each with its aliases and the notes a clinician should see (sourced to
msc-dose-facts.md). :mod:`mscdose.text.vocab` looks them up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Confidence = Literal["confirmed", "probable", "unconfirmed"]


@dataclass(frozen=True)
class Note:  # a fact a clinician should see, where it comes from, and how sure it is
    text: str
    source: str
    confidence: Confidence = "confirmed"


@dataclass(frozen=True)
class Term:
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    broader: str | None = None
    notes: tuple[Note, ...] = ()
    category: str | None = None


@dataclass(frozen=True)
class Route(Term):  # the dose bases used for a route; systemic = into the bloodstream
    bases: frozenset[str] = frozenset()
    systemic: bool = False


def _n(text: str, source: str, confidence: Confidence = "confirmed") -> Note:
    return Note(text, source, confidence)


def _r(
    name: str,
    label: str,
    aliases: str,
    bases: str,
    *notes: Note,
    systemic: bool = False,
    broader: str | None = None,
) -> Route:
    return Route(
        name,
        label,
        tuple(aliases.split("|")),
        broader,
        notes,
        bases=frozenset(bases.split()),
        systemic=systemic,
    )


def _t(name: str, label: str, aliases: str, *notes: Note, broader: str | None = None) -> Term:
    return Term(name, label, tuple(aliases.split("|")), broader, notes)


def _i(
    name: str, label: str, category: str, aliases: str, *notes: Note, broader: str | None = None
) -> Term:
    return Term(name, label, tuple(aliases.split("|")), broader, notes, category)


_U: Confidence = "unconfirmed"
_KG, _PT, _LOCAL = "per_kg per_patient", "per_patient", "per_patient per_cm2 per_ml"
_NONE = _n("No dose for this route is recorded in the fact base.", "msc-dose-facts.md")
_MVO = _n(
    "Microvascular obstruction: ~26-30 µm MSC caused cerebral infarcts after intra-carotid"
    " injection in rodents, ~18 µm ones rarely; in an intra-arterial model 86% of cells "
    "were lost to microvascular plugging.",
    "Ge J et al. 2014, PMID 24390934; PMC3700384",
)
_TF = _n(
    "Tissue factor / IBMIR: clotting grows with dose and passage (minor activation only at "
    "1-3x10^6/kg of low-passage BM-MSC); UC and adipose MSC carry more tissue factor than "
    "BM-MSC.",
    "Moll G et al. 2012, doi 10.1002/stem.1111; Hoang VT et al. 2024, doi "
    "10.1186/s13287-023-03582-3",
)

# The terms read best as written: a term, its aliases and its notes together.
# fmt: off
_ROUTES = (
    _r("intravenous", "intravenous", "IV|intravenous infusion|intravenous injection|drip|"
        "peripheral vein|systemic infusion|静脉|静脉输注|静脉注射|静脉输入|静脉滴注|外周静脉|"
        "外周静脉输入|点滴", "per_kg per_patient per_m2",
        _n("Lung first pass: >60% of an IV dose stays in the lungs in animal work; in humans "
        "(In-111 BM-MSC, 4 cirrhotic patients) the lungs held 27-33.5% right after infusion, "
        "moving to liver and spleen by 48 h (lungs 2.0-5.4% at day 10).", "Q3 (animal, "
        "unconfirmed); Q5: Gholamrezanezhad A et al., Nucl Med Biol 2011"),
        _n("Lung capillaries pass <5 µm and hold most >20 µm particles; UC-MSC are mostly 14-20 "
        "µm.", "Q4 (unconfirmed); Ge J et al. 2014, PMID 24390934", _U),
        _n("Hypoxia raised lung retention of IV MSC in rats at 96 h; see cord_blood for Q6.",
        "Q7 (unconfirmed)", _U), _TF,
        _n("IV-site venous thrombosis after UC-MSC in 2 renal patients; otherwise only transient "
        "fever was linked to intravascular MSC.", "Wu Z et al. 2017, PMID 28838459; Lalu MM et al. "
        "2012 (SafeCell)"), systemic=True),
    _r("intra_arterial", "intra-arterial", "arterial infusion|intracarotid|femoral artery|"
        "transarterial|动脉|动脉注射|动脉介入|股动脉", _KG, _MVO, _TF,
        _n("Femoral intra-arterial marrow infusions for limb ischaemia were mononuclear cells, not "
        "MSC; kept out of MSC ranges.", "D26 (unconfirmed)", _U), systemic=True),
    _r("hepatic_artery", "hepatic artery", "hepatic arterial|liver artery|via hepatic artery|"
        "肝动脉|肝动脉注射|肝动脉介入|肝脏介入|经肝动脉", _KG,
        _n("~1x10^8 cells (Peng 2011, HBV liver failure: benefit at 1 month, not in survival) or "
        "2.5-7.5x10^6/kg (Stempeucel, alcoholic cirrhosis).", "D34; section 3b"), _MVO,
        systemic=True, broader="intra_arterial"),
    _r("portal_vein", "portal vein", "portal venous|transportal|intraportal|门静脉|肝门静脉", _KG,
        _n("Cells reach the liver before the lungs; Kharaziha 2009 used peripheral or portal "
        "vein.", "D33"), systemic=True),
    _r("intrathecal", "intrathecal", "subarachnoid|lumbar puncture|LP|鞘内|鞘内注射|"
        "脊髓鞘内注射|蛛网膜下腔注射|腰穿", _KG,
        _n("Children under general anaesthesia: fever and vomiting most often, occasional "
        "seizures, all gone within 72 h, nothing more at 6 months.", "D16 (source article)", _U),
        _n("Fever, headache, vomiting, back pain and meningism usually resolve in 24-72 h; 4-10 "
        "mL; repeats 3-7 days apart (NeuroNata-R ~4 weeks).", "section 4e-4f; Mancías-Guerra 2014, "
        "PMID 24642016")),
    _r("intraparenchymal", "intraparenchymal (brain, stereotactic)", "intracerebral|stereotactic|"
        "intracerebral implantation|peri-infarct|brain parenchyma|脑实质|脑实质内|脑实质内注射|"
        "脑实质内微注射|立体定向|脑内注射", _PT,
        _n("All 18 chronic-stroke patients had adverse events, mostly procedure-related headache "
        "(88.9%); serious ones were put down to surgery. Cells were modified (SB623).", "D18: "
        "Steinberg GK et al., Stroke 2016, doi 10.1161/STROKEAHA.116.012995"),
        _n("Cerebral palsy: adding intraparenchymal to intrathecal MSC gave no extra benefit; "
        "transient hypothermia and wound pain.", "D17 (unconfirmed)", _U)),
    _r("intratracheal", "intratracheal", "ITr|endotracheal|intrabronchial|via endotracheal tube|"
        "气管内|气管内注射|支气管内|支气管内注射", _KG,
        _n("1-2x10^7/kg in ventilated preterm infants: the largest per-kg doses in the table; "
        "needs an endotracheal tube.", "D24: Chang YS et al., J Pediatr 2014; section 3b"),
        _n("The source suggests IV after early extubation, as IV cells are also caught in the lung "
        "vessels (opinion).", "source article, route section", _U)),
    _r("intranasal", "intranasal", "nasal|鼻内|经鼻|滴鼻", _KG, _NONE),
    _r("intra_articular", "intra-articular", "I-Art|joint injection|knee injection|关节腔|"
        "关节腔注射|关节腔内注射|关节内|关节内注射", "per_patient per_cm2",
        _n("Knee: 10-100x10^6 per joint; ~40x10^6 may be optimal for BM-MSC, more pain and "
        "swelling at 100x10^6. Cartistem is implanted at 2.5x10^6 per cm² of defect.", "section "
        "3b; review PMC7669782; section 2 (Cartistem)")),
    _r("intramuscular", "intramuscular", "gastrocnemius|肌肉注射|肌注|肌内注射", _KG,
        _n("Limb ischaemia: 2x10^6/kg or 1-3x10^8 total over 15-60 sites; Stempeucel bags hold 10% "
        "DMSO, 3% after dilution.", "D27; section 3b; section 4d (NCT05854615)")),
    _r("intracoronary", "intracoronary", "coronary infusion|冠脉|冠状动脉|冠脉内注射|"
        "冠状动脉内注射|冠脉注射", _KG,
        _n("Microvascular obstruction after intracoronary MSC is documented in animals.",
        "Gleeson 2015, Stem Cells (section 3b)"), _MVO, systemic=True),
    _r("intramyocardial", "intramyocardial", "IMyo|myocardial injection|epicardial|心肌|心肌注射|"
        "心肌内注射|心肌局部注射|心脏局部注射", _KG,
        _n("20-200x10^6 per procedure, usually once; most trials used transendocardial catheter "
        "injection (TESI).", "section 3b; D04, D28, D32")),
    _r("transendocardial", "transendocardial (TESI)", "TESI|transendocardial injection|"
        "transendocardial stem cell injection|endocardial|经心内膜", _KG,
        _n("POSEIDON: 20, 100 or 200 million cells into 10 left-ventricular sites.", "D04: Hare JM "
        "et al., JAMA 2012", "probable"), broader="intramyocardial"),
    _r("intralesional", "intralesional", "IL|into the lesion|into the fistula|fistula injection|"
        "perianal injection|病灶内|病灶内注射|瘘管内注射|损伤局部注射", _LOCAL,
        _n("Fistula doses are flat or by fistula size; Alofisel's 120x10^6 is always given whole, "
        "tracts irrigated with saline only.", "section 2 (Alofisel SmPC, Cupistem)"),
        _n("Spinal cord: after laminectomy and durotomy.", "D22: Mendonça MV et al. 2014")),
    _r("intrauterine", "intrauterine", "uterine cavity|子宫内|宫腔内|宫腔内注射|子宫内移植|"
        "宫腔灌注", _PT,
        _n("On a collagen scaffold after adhesiolysis: 1x10^7 (Cao 2018); a 2021 thin-endometrium "
        "pilot used 2x10^7 in 2 cycles.", "D50; section 3b")),
    _r("intradiscal", "intradiscal", "disc injection|intervertebral disc|椎间盘内|椎间盘注射", _PT,
        _n("6-18x10^6 with hyaluronic acid; 2x10^7 and 4x10^7 per disc (Korean AD-MSC trial).",
        "section 3b (Amirdelfan 2021)")),
    _r("subcutaneous", "subcutaneous", "SC|SQ|s.c.|subcut|皮下|皮下注射", _KG,
        _n("2.5-5x10^7 (UCB-MSC, atopic dermatitis).", "section 3b; review PMC6678920")),
    _r("topical", "topical", "topical application|wound bed|外用|局部外用|创面", _LOCAL,
        _NONE),
    _r("local_scaffold", "local, with scaffold", "scaffold|with scaffold|implantation|"
        "bone scaffold|tissue engineered|生物支架|支架|结合生物支架|骨支架", _LOCAL,
        _n("Bone defects: BM-MSC on demineralised bone matrix filled ~50% at 3 months; "
        "osteo-induced cells without scaffold 79.1%.", "D51 (unconfirmed)", _U),
        _n("Local routes are dosed flat or by lesion size, not per kg.", "section 5")),
    _r("intraosseous", "intraosseous", "intramedullary|core decompression|"
        "femoral head injection|骨内|骨髓腔内|髓芯减压|股骨头内", _KG,
        _n("The ~4,500-cell femoral-head dose counts marrow progenitors, not expanded MSC; "
        "expanded-MSC trials use ~1x10^8 (NCT01643655).", "D02 (unconfirmed); section 3b", _U),
        _n("Into the iliac marrow in kidney transplantation, dosed per kg (1x10^6/kg).",
        "Lee H et al. 2013, PMC3630056")),
    # added with the 2026-12 curation
    _r("intracerebroventricular", "intracerebroventricular (e.g. via Ommaya reservoir)", "ICV|intraventricular|Ommaya reservoir|lateral ventricle injection|脑室内|脑室内注射|侧脑室注射", "per_patient per_kg", _n("Doses by this route in the table: kim-2021-alzheimer-ucb-msc-icv, ahn-ivh-preterm-ucb-msc-intraventricular.", "PMC8439008; PMC8401282")),
    _r("intraovarian", "intraovarian", "intra-ovarian|ovarian injection|into the ovary|卵巢内|卵巢内注射", "per_patient", _n("Doses by this route in the table: mashayekhi-2021-poi-adipose-intraovarian.", "PMC7786909")),
    _r("intratendinous", "intratendinous (into the tendon lesion)", "intratendinous injection|tendon injection|into the tendon|肌腱内|肌腱内注射", "per_patient per_kg", _n("Doses by this route in the table: lee-2015-lateral-epicondylosis-low, lee-2015-lateral-epicondylosis-high, nct03279796-adipose-msc-tendon-per-kg.", "https://read.qxmd.com/read/26202898/treatment-of-lateral-epicondylosis-by-using-allogeneic-adipose-derived-mesenchymal-stem-cells-a-pilot-study; NCT03279796")),
    _r("intrasplenic", "intrasplenic", "intrasplenic injection|into the spleen|脾内|脾内注射", "per_patient per_kg", _n("Doses by this route in the table: amin-2013-hcv-cirrhosis-intrasplenic.", "https://synapse.koreamed.org/articles/1094458")),
    _r("extracorporeal", "extracorporeal (cells held in a device in the blood circuit, not infused)", "ex vivo device|CRRT circuit|hemofilter|体外|体外循环", "per_patient", _n("Doses by this route in the table: sbi-101-aki-extracorporeal.", "NCT04445220")),
)

_SOURCES = (
    _t("bone_marrow", "bone marrow", "BM|BMSC|BM-MSC|marrow|骨髓|骨髓MSC|骨髓间充质干细胞",
        _n("Marrow MSC frequency falls with age: 1 in 10^4 mononuclear cells at birth, 1 in "
        "2.5x10^5 at 30 y, 1 in 2x10^6 at 80 y.", "Q2: Caplan AI, J Cell Physiol 2007",
        "probable"),
        _n("First MSC clinical study, 1995: IV culture-expanded marrow stromal progenitors in 23 "
        "patients.", "Q8: Lazarus 1995, per Galderisi 2022, doi 10.1007/s12015-021-10231-w")),
    _t("umbilical_cord", "umbilical cord (incl. Wharton's jelly)", "UC|UC-MSC|hUC-MSC|"
        "Wharton's jelly|WJ|WJ-MSC|cord tissue|脐带|脐带MSC|脐带间充质干细胞|华通胶", _TF),
    _t("cord_blood", "umbilical cord blood", "UCB|CB|UCB-MSC|hUCB-MSC|脐血|脐带血",
        _n("May cross the lungs more easily than BM-MSC after IV infusion (mice).", "Q6 "
        "(unconfirmed; candidate Nystedt J et al. 2013)", _U)),
    _t("adipose", "adipose tissue", "AD|ADSC|AD-MSC|ASC|adipose-derived|fat|lipoaspirate|脂肪|"
        "脂肪MSC|脂肪间充质干细胞|脂肪干细胞", _TF,
        _n("Stromal vascular fraction (e.g., Queencell) is not expanded MSC.", "section 2")),
    _t("placenta", "placenta", "PL|placental|placenta-derived|胎盘|胎盘MSC",
        _n("PDA001 in Crohn's disease: 2x10^8 or 8x10^8 IV, 2 infusions a week apart.", "section "
        "3b")),
    _t("dental_pulp", "dental pulp", "DPSC|SHED|deciduous teeth|牙髓|乳牙牙髓|牙髓干细胞"),
    _t("menstrual_blood", "menstrual blood", "MenSC|menstrual|经血|月经血",
        _n("An H7N9 trial gave 1-10x10^7/kg x4 IV, an outlier.", "section 3b")),
    _t("unspecified", "unspecified or mixed", "mixed|various|not specified|unknown|混合|未说明"),
    # added with the 2026-12 curation
    _t("dermal", "dermal (skin-derived, e.g. ABCB5+ MSC)", "skin-derived|dermal MSC|ABCB5+ MSC|ABCB5+|皮肤来源|真皮"),
    _t("fetal_liver", "fetal liver (first-trimester)", "fetal liver MSC|BOOST cells|胎肝|胎肝间充质干细胞"),
)

_INDICATIONS = (
    _i("all_indications", "all indications (route-wide summaries)", "all", "all|any|any indication|"
        "all MSC trials|所有适应症",
        _n("Reported viabilities 70-97%; release specs found: >=70% (BM-MSC), >=85% (UC-MSC).",
        "Q1 (unconfirmed); section 4b", _U),
        _n(">600 MSC trials to 2015 (source); 914 to 2018; 1,120 by April 2023.", "Q9; Kabat 2020, "
        "PMID 31804767; Fernández-Garza 2023, PMID 37765141")),
    _i("gvhd", "graft-versus-host disease", "immune", "GVHD|graft versus host disease|"
        "移植物抗宿主病"),
    _i("gvhd_acute", "acute GVHD", "immune", "aGVHD|acute graft-versus-host disease|急性GVHD|"
        "急性移植物抗宿主病",
        _n("Le Blanc 2004: severe liver and gut aGVHD in a child responded, and again on "
        "re-infusion after relapse.", "D39: Le Blanc K et al., Lancet 2004"),
        _n("Dose and survival: Hashmi 2016 (336 patients, 6-month survival 63%) vs a 2020 "
        "meta-analysis where survival rose with dose (p=0.021): conflicting.", "D52; doi "
        "10.1186/s13287-020-01592-z", "probable"),
        _n("UK guidance places MSC among later-line options.", "D53: Dignan FL et al. 2012",
        "probable"), broader="gvhd"),
    _i("gvhd_acute_steroid_refractory", "steroid-refractory acute GVHD", "immune", "SR-aGVHD|"
        "steroid-resistant aGVHD|steroid refractory GVHD|steroid-resistant GVHD|refractory GVHD|"
        "激素抵抗性GVHD|激素耐受性急性GVHD|激素抵抗性难治性GVHD|难治性GVHD",
        _n("Children: MSC 5-12 days after starting steroids gave 78% complete response vs 52% at "
        "13-85 days.", "D42 (unconfirmed; candidate Ball LM et al. 2013)", _U),
        _n("Children respond at least as well as adults (CR 57.4% vs 45.1%).", "D40; Int Arch Med "
        "2011 meta-analysis"), broader="gvhd_acute"),
    _i("gvhd_acute_first_line", "acute GVHD, first line", "immune", "newly diagnosed aGVHD|"
        "de novo aGVHD|first-line aGVHD", broader="gvhd_acute"),
    _i("gvhd_chronic", "chronic GVHD", "immune", "cGVHD|慢性GVHD|慢性移植物抗宿主病",
        broader="gvhd"),
    _i("hsct_cotransplant", "co-transplant with haematopoietic stem cells", "hematological",
        "co-transplant|co-transplantation|HSCT co-transplant|MSC co-infusion|共移植|"
        "造血干细胞共移植",
        _n("Relapse 60% with MSC vs 20% without (HLA-identical, malignancy, n=10 vs 15).",
        "D10: Ning H et al., Leukemia 2008; section 4f"),
        _n("Phase II: grade 2 aGVHD 51.8% vs 38.9%, cGVHD 51.4% vs 74.1%, 2-year survival 69.7% vs "
        "64.3%.", "D38 (unconfirmed)", _U)),
    _i("aplastic_anemia", "aplastic anaemia", "hematological", "severe aplastic anemia|SAA|"
        "再生障碍性贫血|再障"),
    _i("kidney_transplant", "kidney transplantation", "renal", "renal transplant|"
        "subclinical rejection|IF/TA|肾移植|肾脏移植",
        _n("Autologous MSC caused systemic immunosuppression; monitor for viral infection.",
        "D47: Reinders ME et al. 2013, PMID 23349326")),
    _i("sle", "systemic lupus erythematosus", "immune", "SLE|lupus|系统性红斑狼疮|红斑狼疮"),
    _i("rheumatoid_arthritis", "rheumatoid arthritis", "immune", "RA|rheumatoid|类风湿|"
        "类风湿关节炎|类风湿性关节炎"),
    _i("septic_shock", "septic shock", "immune", "sepsis|脓毒症|感染性休克"),
    _i("atopic_dermatitis", "atopic dermatitis", "immune", "eczema|特应性皮炎"),
    _i("type1_diabetes", "type 1 diabetes", "endocrine", "T1D|T1DM|type 1 diabetes mellitus|"
        "type I diabetes|1型糖尿病|I型糖尿病"),
    _i("crohns_disease", "Crohn's disease", "gastrointestinal", "Crohn's|Crohn disease|"
        "Crhon's disease|克罗恩病|克隆氏病"),
    _i("perianal_fistula_crohns", "complex perianal fistula in Crohn's disease",
        "gastrointestinal", "perianal fistula|Crohn's fistula|fistulising Crohn's|"
        "fistulizing Crohn's|克罗恩病肠瘘|克隆氏病肠瘘|肛瘘", broader="crohns_disease"),
    _i("luminal_crohns", "luminal Crohn's disease", "gastrointestinal", "luminal Crohn's|"
        "难治性克罗恩病", broader="crohns_disease"),
    _i("liver_disease", "liver disease", "liver", "liver|肝病|肝脏疾病"),
    _i("cirrhosis", "liver cirrhosis", "liver", "end-stage liver disease|ESLD|肝硬化|终末期肝病",
        broader="liver_disease"),
    _i("decompensated_cirrhosis", "decompensated cirrhosis", "liver", "失代偿期肝硬化",
        broader="cirrhosis"),
    _i("alcoholic_cirrhosis", "alcoholic cirrhosis", "liver", "酒精性肝硬化", broader="cirrhosis"),
    _i("liver_failure", "liver failure", "liver", "hepatic failure|HBV liver failure|肝衰竭|"
        "肝功能衰竭|乙肝肝衰竭",
        _n("Strong inflammation in liver failure may blunt MSC (a Chinese study, not identified).",
        "source article, timing section", _U), broader="liver_disease"),
    _i("acute_on_chronic_liver_failure", "acute-on-chronic liver failure", "liver", "ACLF|"
        "慢加急性肝衰竭|慢加急肝衰竭", broader="liver_failure"),
    _i("hbv_acute_on_chronic_liver_failure", "HBV-related acute-on-chronic liver failure", "liver",
        "HBV-ACLF|hepatitis B ACLF|乙肝慢加急性肝衰竭", broader="acute_on_chronic_liver_failure"),
    _i("cerebral_palsy", "cerebral palsy", "neurological", "CP|脑瘫|脑性瘫痪",
        _n("Allogeneic MSC IV and/or intrathecal reportedly improved tone, strength, speech and "
        "cognition (not identified; similar case: Okur 2018, PMID 29699386).", "D15", _U)),
    _i("stroke", "stroke", "neurological", "CVA|ischemic stroke|cerebral infarction|中风|脑卒中|"
        "卒中|脑梗死"),
    _i("stroke_chronic", "chronic ischaemic stroke", "neurological", "chronic stroke|慢性脑卒中",
        broader="stroke"),
    _i("stroke_subacute", "subacute ischaemic stroke", "neurological", "subacute stroke",
        _n("IV autologous BM-MSC 36-133 days after stroke: NIHSS improved fastest in week 1; no "
        "tumours, thromboembolism or infection.", "D19: Honmou O et al. 2011, PMC3102237"),
        broader="stroke"),
    _i("multiple_sclerosis", "multiple sclerosis", "neurological", "MS|SPMS|多发性硬化|"
        "多发性硬化症"),
    _i("als", "amyotrophic lateral sclerosis", "neurological", "ALS|motor neurone disease|MND|"
        "肌萎缩侧索硬化|肌萎缩侧索硬化症|肌萎缩性侧束硬化症|渐冻症|运动神经元病"),
    _i("spinal_cord_injury", "spinal cord injury", "neurological", "SCI|脊髓损伤|慢性脊髓损伤",
        _n("Chronic complete SCI, intralesional BM-MSC: all gained tactile sensitivity; 7 of 14 "
        "moved from AIS A to B or C.", "D22: Mendonça MV et al. 2014, doi 10.1186/scrt516")),
    _i("autism", "autism spectrum disorder", "neurological", "ASD|autism spectrum disorder|自闭症|"
        "孤独症",
        _n("UCB mononuclear cells + UC-MSC, IV + intrathecal, 4 weekly: CARS, ABC and CGI improved "
        "most with the combination (dose not given).", "D23: Lv YT et al. 2013, PMID 23978163")),
    _i("bpd", "bronchopulmonary dysplasia", "respiratory", "BPD|支气管肺发育不良|"
        "支气管肺发育不良症"),
    _i("copd", "chronic obstructive pulmonary disease", "respiratory", "COPD|emphysema|"
        "慢性阻塞性肺疾病|慢阻肺"),
    _i("ards", "acute respiratory distress syndrome", "respiratory", "ARDS|acute lung injury|"
        "急性呼吸窘迫综合征"),
    _i("covid19_ards", "COVID-19 ARDS", "respiratory", "COVID-19|COVID|SARS-CoV-2|新冠肺炎",
        broader="ards"),
    _i("influenza_ards", "influenza (H7N9) ARDS", "respiratory", "H7N9|influenza|禽流感",
        broader="ards"),
    _i("ischemic_heart_disease", "ischaemic heart disease", "cardiovascular", "IHD|"
        "coronary artery disease|CAD|缺血性心脏病|冠心病|心肌缺血"),
    _i("acute_myocardial_infarction", "acute myocardial infarction", "cardiovascular", "AMI|MI|"
        "STEMI|myocardial infarction|急性心肌梗塞|急性心肌梗死|心肌梗死|心梗",
        _n("Intracoronary BM-MSC ~1 month after PCI improved SPECT LVEF at 6 months (n=80); "
        "intracoronary WJ-MSC after STEMI improved LVEF at 18 months (n=116).", "D29: Lee JW et "
        "al. 2014; D31: Gao LR et al. 2015, PMID 26162993"), broader="ischemic_heart_disease"),
    _i("ischemic_cardiomyopathy", "ischaemic cardiomyopathy", "cardiovascular", "ICM|"
        "ischemic heart failure|缺血性心肌病|慢性缺血性心肌病",
        _n("TESI BM-MSC (TAC-HFT, n=65) improved walk distance and infarct size, not LVEF; during "
        "CABG (PROMETHEUS) function, perfusion and scar improved.", "D28: Heldman AW et al. 2014; "
        "D32: Karantalis V et al. 2014"), broader="ischemic_heart_disease"),
    _i("peripheral_arterial_disease", "peripheral arterial disease", "cardiovascular", "PAD|"
        "peripheral artery disease|外周动脉疾病|下肢缺血"),
    _i("critical_limb_ischemia", "critical limb ischaemia", "cardiovascular", "CLI|"
        "chronic limb-threatening ischemia|严重肢体缺血|严重的下肢缺血",
        broader="peripheral_arterial_disease"),
    _i("thromboangiitis_obliterans", "Buerger's disease", "cardiovascular", "Buerger's disease|"
        "Buerger|TAO|血栓闭塞性脉管炎", broader="critical_limb_ischemia"),
    _i("diabetic_foot", "diabetic foot / diabetic limb ischaemia", "cardiovascular",
        "diabetic foot ulcer|DFU|diabetic limb ischemia|diabetic limb bullous disease|糖尿病足|"
        "糖尿病肢体大疱病",
        _n("The source's 'diabetic limb bullous disease' is probably diabetic foot with critical "
        "limb ischaemia.", "D03 (unconfirmed)", _U), broader="critical_limb_ischemia"),
    _i("osteoarthritis", "osteoarthritis", "musculoskeletal", "OA|骨关节炎|骨性关节炎"),
    _i("knee_osteoarthritis", "knee osteoarthritis", "musculoskeletal", "knee OA|膝骨关节炎|"
        "膝关节骨关节炎", broader="osteoarthritis"),
    _i("cartilage_defect", "cartilage defect (knee)", "musculoskeletal", "knee cartilage defect|"
        "articular cartilage defect|软骨缺损"),
    _i("osteonecrosis_femoral_head", "osteonecrosis of the femoral head", "musculoskeletal",
        "ONFH|avascular necrosis|AVN|femoral head necrosis|osteonecrosis|股骨头坏死"),
    _i("bone_defect", "bone defect", "musculoskeletal", "bone defects|骨缺损|颅骨重建",
        _n("BM-MSC on bone matrix filled ~50% at 3 months; osteo-induced cells alone 79.1%.",
        "D51 (unconfirmed)", _U)),
    _i("degenerative_disc_disease", "degenerative disc disease", "musculoskeletal", "DDD|"
        "discogenic back pain|disc degeneration|椎间盘退变"),
    _i("intrauterine_adhesions", "intrauterine adhesions", "reproductive", "IUA|Asherman syndrome|"
        "Asherman|宫腔粘连|宫腔黏连|子宫腔黏连"),
    _i("thin_endometrium", "thin endometrium", "reproductive", "薄型子宫内膜|子宫内膜薄"),
    # added with the 2026-12 curation
    _i("idiopathic_pulmonary_fibrosis", "idiopathic pulmonary fibrosis", "respiratory", "IPF|idiopathic pulmonary fibrosis|pulmonary fibrosis|特发性肺纤维化|肺纤维化"),
    _i("bronchiolitis_obliterans_syndrome", "bronchiolitis obliterans syndrome (lung transplant CLAD, or lung chronic GVHD)", "respiratory", "BOS|bronchiolitis obliterans|obliterative bronchiolitis|chronic lung allograft dysfunction|CLAD|闭塞性细支气管炎|闭塞性细支气管炎综合征"),
    _i("silicosis", "silicosis / pneumoconiosis", "respiratory", "pneumoconiosis|coal workers' pneumoconiosis|矽肺|硅肺|尘肺|尘肺病"),
    _i("severe_community_acquired_pneumonia", "severe community-acquired bacterial pneumonia (ICU)", "respiratory", "severe CAP|sCABP|community-acquired bacterial pneumonia|CABP|重症社区获得性肺炎|社区获得性肺炎"),
    _i("chronic_heart_failure", "chronic heart failure", "cardiovascular", "heart failure|CHF|HFrEF|heart failure with reduced ejection fraction|chronic HF|advanced heart failure|慢性心力衰竭|心力衰竭|心衰"),
    _i("dilated_cardiomyopathy", "non-ischaemic dilated cardiomyopathy", "cardiovascular", "dilated cardiomyopathy|non-ischemic dilated cardiomyopathy|nonischemic dilated cardiomyopathy|NIDCM|NICM|non-ischaemic cardiomyopathy|扩张型心肌病|非缺血性扩张型心肌病", broader="chronic_heart_failure"),
    _i("hypoplastic_left_heart_syndrome", "hypoplastic left heart syndrome", "cardiovascular", "HLHS|hypoplastic left heart|左心发育不良综合征"),
    _i("anthracycline_cardiomyopathy", "anthracycline-induced cardiomyopathy", "cardiovascular", "anthracycline-induced cardiomyopathy|chemotherapy-induced cardiomyopathy|doxorubicin cardiomyopathy|蒽环类药物心肌病", broader="chronic_heart_failure"),
    _i("stroke_acute", "acute ischaemic stroke (cells within days of onset)", "neurological", "acute stroke|acute ischemic stroke|acute ischaemic stroke|急性脑卒中|急性缺血性脑卒中|急性脑梗死", broader="stroke"),
    _i("parkinsons_disease", "Parkinson's disease", "neurological", "Parkinson's disease|Parkinson disease|Parkinsons|idiopathic Parkinson's disease|帕金森病|帕金森氏病"),
    _i("progressive_supranuclear_palsy", "progressive supranuclear palsy", "neurological", "Steele-Richardson-Olszewski syndrome|Steele-Richardson-Olszewsky syndrome|进行性核上性麻痹"),
    _i("multiple_system_atrophy", "multiple system atrophy", "neurological", "MSA-C|MSA-P|multiple system atrophy cerebellar type|多系统萎缩"),
    _i("traumatic_brain_injury", "traumatic brain injury (chronic motor deficit)", "neurological", "TBI|chronic TBI|brain trauma|创伤性脑损伤|颅脑损伤|脑外伤"),
    _i("alzheimers_disease", "Alzheimer's disease", "neurological", "Alzheimer's disease|Alzheimer disease|Alzheimer's dementia|阿尔茨海默病|老年痴呆"),
    _i("spinocerebellar_ataxia", "spinocerebellar ataxia (hereditary cerebellar ataxia)", "neurological", "hereditary ataxia|hereditary cerebellar ataxia|spinocerebellar ataxias|脊髓小脑性共济失调|遗传性共济失调"),
    _i("intraventricular_hemorrhage_preterm", "severe intraventricular haemorrhage of prematurity", "neurological", "IVH|intraventricular haemorrhage|intraventricular hemorrhage|severe IVH|germinal matrix haemorrhage|脑室内出血|早产儿脑室内出血"),
    _i("liver_transplant", "liver transplantation (MSC after or with the graft)", "liver", "liver transplant|orthotopic liver transplantation|ischemic-type biliary lesions|ITBL|肝移植|缺血性胆道病变", broader="liver_disease"),
    _i("gvhd_prophylaxis", "GVHD prophylaxis (MSC given to prevent GVHD after allo-HSCT)", "immune", "GVHD prevention|prevention of graft-versus-host disease|prophylaxis of GVHD|aGVHD prophylaxis|cGVHD prophylaxis|GVHD预防|移植物抗宿主病预防", broader="gvhd"),
    _i("poor_graft_function", "poor graft function / graft failure after allo-HSCT", "hematological", "poor graft function|PGF|graft failure|engraftment failure|delayed engraftment|植入功能不良|植入失败|移植物功能不良"),
    _i("lupus_nephritis", "lupus nephritis", "immune", "SLE nephritis|lupus glomerulonephritis|狼疮性肾炎|狼疮肾炎", broader="sle"),
    _i("systemic_sclerosis", "systemic sclerosis", "immune", "SSc|scleroderma|systemic scleroderma|系统性硬化症|系统性硬化|硬皮病"),
    _i("psoriasis", "psoriasis", "immune", "psoriasis vulgaris|plaque psoriasis|银屑病|寻常型银屑病|牛皮癣"),
    _i("sjogrens_syndrome", "Sjögren's syndrome", "immune", "Sjogren's syndrome|Sjögren syndrome|Sjogren syndrome|primary Sjögren's syndrome|pSS|干燥综合征|原发性干燥综合征"),
    _i("ulcerative_colitis", "ulcerative colitis", "gastrointestinal", "ulcerative proctocolitis|溃疡性结肠炎"),
    _i("type2_diabetes", "type 2 diabetes", "endocrine", "T2D|T2DM|type 2 diabetes mellitus|type II diabetes|2型糖尿病|II型糖尿病"),
    _i("epidermolysis_bullosa", "epidermolysis bullosa", "dermatological", "RDEB|recessive dystrophic epidermolysis bullosa|dystrophic epidermolysis bullosa|大疱性表皮松解症|营养不良型大疱性表皮松解症"),
    _i("perianal_fistula_cryptoglandular", "complex perianal fistula not associated with Crohn's disease (cryptoglandular)", "gastrointestinal", "cryptoglandular fistula|cryptoglandular perianal fistula|non-Crohn perianal fistula|隐窝腺源性肛瘘"),
    _i("chronic_venous_ulcer", "chronic venous leg ulcer", "dermatological", "CVU|venous leg ulcer|venous ulcer|chronic venous ulcer|静脉性溃疡|下肢静脉性溃疡"),
    _i("meniscus_injury", "meniscus injury / after meniscectomy", "musculoskeletal", "meniscal tear|meniscus tear|meniscectomy|meniscal injury|半月板损伤|半月板撕裂"),
    _i("osteogenesis_imperfecta", "osteogenesis imperfecta", "musculoskeletal", "brittle bone disease|成骨不全|成骨不全症|脆骨病"),
    _i("frailty", "ageing frailty", "musculoskeletal", "aging frailty|frailty syndrome|frail elderly|衰弱|老年衰弱|衰弱综合征"),
    _i("premature_ovarian_insufficiency", "premature ovarian insufficiency", "reproductive", "POI|premature ovarian failure|POF|primary ovarian insufficiency|卵巢早衰|早发性卵巢功能不全"),
    _i("tendinopathy", "tendinopathy and tendon tears (lateral epicondylosis, rotator cuff)", "musculoskeletal", "tendinosis|tennis elbow|lateral epicondylitis|lateral epicondylosis|rotator cuff tear|rotator cuff injury|肌腱病|网球肘|肱骨外上髁炎|肩袖损伤|肩袖撕裂"),
    _i("bone_nonunion", "fracture nonunion", "musculoskeletal", "nonunion|non-union|atrophic nonunion|delayed union|骨不连|骨折不愈合", broader="bone_defect"),
    _i("hip_osteoarthritis", "hip osteoarthritis (incl. hip cartilage injury)", "musculoskeletal", "hip OA|coxarthrosis|hip cartilage defect|femoroacetabular impingement|髋关节骨关节炎|髋骨关节炎", broader="osteoarthritis"),
    _i("primary_biliary_cholangitis", "primary biliary cholangitis", "liver", "primary biliary cirrhosis|PBC|原发性胆汁性胆管炎|原发性胆汁性肝硬化", broader="liver_disease"),
    _i("chronic_kidney_disease", "chronic kidney disease", "renal", "CKD|chronic renal failure|chronic renal insufficiency|慢性肾脏病|慢性肾病|慢性肾功能不全"),
    _i("diabetic_nephropathy", "diabetic nephropathy / diabetic kidney disease", "renal", "diabetic kidney disease|DKD|diabetic nephropathy|糖尿病肾病|糖尿病肾脏病", broader="chronic_kidney_disease"),
    _i("polycystic_kidney_disease", "autosomal dominant polycystic kidney disease", "renal", "ADPKD|polycystic kidney disease|多囊肾|常染色体显性多囊肾病", broader="chronic_kidney_disease"),
    _i("renovascular_disease", "atherosclerotic renovascular disease", "renal", "renovascular disease|ischemic nephropathy|ischaemic nephropathy|renal artery stenosis|肾血管性疾病|缺血性肾病|肾动脉狭窄", broader="chronic_kidney_disease"),
    _i("acute_kidney_injury", "acute kidney injury", "renal", "AKI|acute renal failure|急性肾损伤|急性肾衰竭"),
)

_POPULATIONS = (
    _t("adult", "adults", "adults|women|men|成人|成年人"),
    _t("pediatric", "children", "children|child|kids|infant|infants|adolescent|儿童|小儿|儿科|患儿|"
        "婴儿"),
    _t("neonate", "neonates", "neonatal|neonates|newborn|新生儿", broader="pediatric"),
    _t("preterm", "preterm infants", "premature|prematurity|preterm infant|ELBW|VLBW|早产儿|早产",
        broader="neonate"),
    _t("mixed", "adults and children", "all ages|adults and children|成人和儿童"),
)

_CATEGORIES = (
    _t("immune", "immune", "immunology|immunological|autoimmune|免疫|免疫系统疾病"),
    _t("neurological", "neurological", "neurology|nervous system|神经|神经系统疾病"),
    _t("respiratory", "respiratory", "pulmonary|lung|呼吸|呼吸系统疾病"),
    _t("cardiovascular", "cardiovascular", "cardiac|heart|vascular|心血管|心脑血管疾病"),
    _t("liver", "liver", "hepatic|hepatology|肝脏疾病"),
    _t("musculoskeletal", "musculoskeletal", "orthopedic|bone and joint|骨关节|运动医学"),
    _t("gastrointestinal", "gastrointestinal", "GI|digestive|消化|消化系统疾病"),
    _t("reproductive", "reproductive", "gynecological|生殖|生殖系统疾病"),
    _t("hematological", "haematological", "hematology|blood|血液|造血系统疾病"),
    _t("endocrine", "endocrine", "metabolic|内分泌|代谢性疾病"),
    _t("renal", "renal", "kidney|nephrology|肾脏"), _t("all", "all categories", "any|全部"),
    # added with the 2026-12 curation
    _t("dermatological", "dermatological", "dermatology|skin|skin disease|皮肤|皮肤病"),
)


# fmt: on
ROUTES: dict[str, Route] = {t.name: t for t in _ROUTES}
SOURCES: dict[str, Term] = {t.name: t for t in _SOURCES}
INDICATIONS: dict[str, Term] = {t.name: t for t in _INDICATIONS}
POPULATIONS: dict[str, Term] = {t.name: t for t in _POPULATIONS}
CATEGORIES: dict[str, Term] = {t.name: t for t in _CATEGORIES}
