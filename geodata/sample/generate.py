#!/usr/bin/env python3
"""Generate kvarter's bundled sample data for Copenhagen (Københavns Kommune).

Standard library only, deterministic (random.Random(2011)); every seed
coordinate is hard-coded below and nothing is read at run time.

    python3 geodata/sample/generate.py            # writes next to this script
    python3 geodata/sample/generate.py --out DIR  # writes into DIR

Geometries are COARSE hand-made approximations in EPSG:25832 (ETRS89 / UTM
32N, whole metres); they are not official boundaries.  All indicator values
are SYNTHETIC: shaped to resemble the city, not real statistics.
See ../README.md.
"""

import argparse
import json
import math
import os
import random

CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}

# Grid shared by all cell-built layers.  Districts use 500 m cells; deprived
# areas, green teams and renewal zones use 250 m cells aligned with them.
X0, Y0 = 716500, 6168500
BIG, FINE = 500, 250

# Coarse outline of the municipality (counter-clockwise, EPSG:25832).  The
# harbour between Amager and the mainland is deliberately not cut out.
OUTLINE = [
    (720800, 6168600), (725000, 6169100), (726100, 6170000), (726300, 6171600),
    (729700, 6172900), (729700, 6173700), (728900, 6174700), (729400, 6176100),
    (728700, 6176600), (728100, 6178400), (727300, 6178500), (726800, 6179300),
    (728600, 6181200), (728100, 6181500), (727000, 6181000), (726200, 6181400),
    (726000, 6180900), (725400, 6180600), (723900, 6182100), (723400, 6181000),
    (721100, 6181400), (720200, 6180500), (718800, 6180900), (716900, 6179500),
    (716900, 6178900), (717600, 6178400), (717700, 6176200), (718700, 6174800),
    (718800, 6173300), (720800, 6171000), (721600, 6171300), (722200, 6171100),
    (722300, 6170300),
]

# Coarse outline of Frederiksberg (a separate municipality, left as a hole).
FREDERIKSBERG = [
    (719600, 6175700), (720000, 6174900), (721600, 6174600), (723500, 6176000),
    (721800, 6177800), (720100, 6176900),
]

DISTRICTS = [
    (1, "Indre By"), (2, "Østerbro"), (3, "Nørrebro"),
    (4, "Vesterbro-Kongens Enghave"), (5, "Valby"), (6, "Vanløse"),
    (7, "Brønshøj-Husum"), (8, "Bispebjerg"), (9, "Amager Øst"),
    (10, "Amager Vest"),
]

# Several seeds per district; each 500 m cell goes to the nearest seed.
DISTRICT_SEEDS = [
    (1, 725900, 6175900), (1, 726800, 6177600), (1, 724600, 6176700),
    (2, 724300, 6180300), (2, 725100, 6178600), (2, 726700, 6180300),
    (3, 723200, 6177400), (3, 723200, 6178700),
    (4, 723500, 6174700), (4, 722500, 6171800), (4, 722800, 6173200),
    (5, 720800, 6171800), (5, 719600, 6174400), (5, 720800, 6173400),
    (6, 720400, 6177700), (6, 718600, 6176600),
    (7, 719900, 6179100), (7, 718900, 6180200), (7, 718000, 6178900),
    (8, 722200, 6180500), (8, 721600, 6179100),
    (9, 728200, 6176200), (9, 727400, 6174800), (9, 728400, 6173400),
    (10, 725800, 6173900), (10, 722700, 6169600), (10, 725500, 6172300),
    (10, 724600, 6170500),
]

# The six deprived urban areas of the 2011 policy: 250 m cells whose centre
# lies within one of the (x, y, radius) discs.
DEPRIVED = [
    ("norrebro", "Nørrebro",
     [(722900, 6178700, 550), (722600, 6178800, 450), (722450, 6177750, 450),
      (723300, 6177050, 350), (723150, 6179250, 350)]),
    ("amager-sundby", "Amager/Sundby",
     [(726250, 6173450, 600), (727050, 6174300, 350), (727300, 6172150, 350)]),
    ("bispebjerg-nordvest", "Bispebjerg/Nordvest",
     [(721600, 6178900, 750), (722100, 6179700, 450), (721900, 6180600, 350)]),
    ("vesterbro-sydhavnen", "Vesterbro/Sydhavnen",
     [(722000, 6173300, 650), (723150, 6175050, 400), (722500, 6172300, 400)]),
    ("husum-tingbjerg", "Husum/Tingbjerg",
     [(718750, 6180300, 600), (718100, 6179400, 550)]),
    ("valby-vigerslev", "Valby/Vigerslev",
     [(720050, 6174750, 350), (719750, 6173450, 450), (720350, 6172650, 450)]),
]

# Områdefornyelser: id, navn, start, end, budget (mio. DKK), (x, y, radius).
RENEWAL = [
    ("centrale-vesterbro", "Centrale Vesterbro", 2012, 2016, 40.0, (723080, 6175000, 450)),
    ("gl-valby", "Gl. Valby", 2009, 2015, 35.5, (720830, 6174100, 400)),
    ("sundholmsvej", "Sundholmsvej", 2008, 2013, 34.0, (726300, 6174150, 380)),
    ("skt-kjelds-kvarter", "Skt. Kjelds Kvarter", 2011, 2015, 48.0, (724390, 6179590, 450)),
    ("kulbanekvarteret", "Kulbanekvarteret", 2016, 2021, 39.0, (719750, 6173450, 400)),
    ("indre-nordvest", "Indre Nordvest", 2016, 2021, 46.5, (721980, 6178680, 450)),
    ("ydre-nordvest", "Ydre Nordvest", 2016, 2021, 43.0, (721430, 6179550, 450)),
    ("folehavekvarteret", "Folehavekvarteret", 2018, 2023, 28.0, (720300, 6172650, 400)),
    ("sundby", "Sundby", 2017, 2022, 41.0, (726920, 6173300, 400)),
    ("norrebro-park-kvarter", "Nørrebro Park Kvarter", 2009, 2014, 52.0, (722760, 6177660, 400)),
]

# Green Teams: cells of the deprived area within the disc, keeping only cells
# whose eight neighbours are also in the area (so they stay strictly inside).
GREEN_TEAMS = [
    ("gt-mjolnerparken", "Grønne Team Mjølnerparken", 2012, "norrebro", (722750, 6178550, 400)),
    ("gt-nordvest", "Grønne Team Nordvest", 2012, "bispebjerg-nordvest", (721600, 6178900, 450)),
    ("gt-bispebjerg", "Grønne Team Bispebjerg", 2013, "bispebjerg-nordvest", (722100, 6179900, 350)),
    ("gt-tingbjerg", "Grønne Team Tingbjerg", 2012, "husum-tingbjerg", (718750, 6180250, 400)),
    ("gt-husum", "Grønne Team Husum", 2013, "husum-tingbjerg", (718100, 6179350, 300)),
    ("gt-folehaven", "Grønne Team Folehaven", 2013, "valby-vigerslev", (720350, 6172650, 300)),
    ("gt-sydhavnen", "Grønne Team Sydhavnen", 2012, "vesterbro-sydhavnen", (722000, 6173250, 450)),
    ("gt-urbanplanen", "Grønne Team Urbanplanen", 2012, "amager-sundby", (726250, 6173400, 400)),
]

ORGANISATIONS = {
    49: "AAB", 146: "VIBO", 153: "fsb", 214: "PAB", 233: "SAB",
    255: "AKB, København", 410: "3B", 422: "Hovedstadens almennyttige Boligselskab",
    739: "Bo-Vita", 774: "Domea København", 778: "DVB, København",
}

# Named estates (role housing_area).  Departments are laid out in rows of
# `cols` around the centre with 12 m between them.  Each department:
# (organisation_nr, department_nr, navn, width, height, notch, dwellings),
# notch = None or (corner, notch_w, notch_h) for an L-shape.
# profile = outside-labour share 2010, yearly trend, non-Western share 2010,
# convictions per 10 000 in 2010 (synthetic targets).
ESTATES = [
    ("mjolnerparken", "Mjølnerparken", (722560, 6178800), 1, [
        (739, 26, "Mjølnerparken I", 240, 70, None, 200),
        (739, 27, "Mjølnerparken II", 240, 70, None, 190),
        (739, 28, "Mjølnerparken III", 240, 70, None, 170),
    ], (51.5, -0.6, 82.0, 385)),
    ("tingbjerg", "Tingbjerg", (718800, 6180250), 3, [
        (233, 26, "Tingbjerg I", 230, 180, None, 480),
        (233, 28, "Tingbjerg II", 200, 180, ("ne", 80, 70), 380),
        (233, 29, "Tingbjerg III", 220, 180, None, 430),
        (153, 43, "Tingbjerg IV", 240, 170, ("sw", 90, 70), 400),
        (153, 50, "Tingbjerg V", 260, 170, None, 470),
    ], (46.5, -0.8, 71.0, 305)),
    ("akacieparken", "Akacieparken", (720150, 6174720), 2, [
        (739, 42, "Akacieparken I", 130, 160, None, 190),
        (739, 43, "Akacieparken II", 120, 160, None, 175),
    ], (41.5, -0.9, 53.0, 205)),
    ("glumsoparken", "Glumsøparken", (718200, 6179250), 2, [
        (233, 9, "Glumsøparken", 150, 180, ("nw", 70, 70), 200),
        (233, 10, "Glumsøparken II", 140, 160, None, 170),
    ], (39.0, -0.5, 47.0, 215)),
    ("bispevaenget", "Bispevænget", (722100, 6179650), 1, [
        (255, 209, "Bispevænget I", 200, 120, None, 340),
        (255, 210, "Bispevænget II", 200, 120, None, 320),
    ], (41.8, -0.9, 47.5, 282)),
    ("urbanplanen", "Urbanplanen", (726250, 6173250), 2, [
        (410, 339, "Remisevænget Øst", 260, 160, ("ne", 90, 70), 730),
        (410, 340, "Remisevænget Vest", 180, 150, None, 270),
        (410, 341, "Remisevænget Nord", 240, 150, None, 460),
        (146, 130, "Urbanplanen Syd", 200, 140, None, 350),
    ], (45.0, -0.7, 58.0, 232)),
    ("folehaven", "Folehaven", (720300, 6172650), 1, [
        (410, 332, "Folehaven I", 280, 110, None, 330),
        (410, 333, "Folehaven II", 280, 110, None, 320),
        (410, 334, "Folehaven III", 280, 110, None, 310),
    ], (35.5, -0.4, 37.0, 188)),
    ("sjaelor-boulevard", "Sjælør Boulevard", (721800, 6173200), 3, [
        (255, 12, "Sjælør Boulevard I", 150, 150, None, 260),
        (49, 50, "Sjælør Boulevard II", 150, 150, None, 260),
        (255, 13, "Sjælør Boulevard III", 130, 150, None, 190),
    ], (43.5, -0.6, 43.0, 312)),
    ("horgaarden", "Hørgården", (726160, 6173820), 3, [
        (410, 671, "Hørgården 1", 150, 140, None, 397),
        (410, 672, "Hørgården 2", 150, 140, None, 320),
        (410, 135, "Hørgården 3", 120, 130, None, 150),
    ], (44.0, -0.5, 62.0, 252)),
    ("lundtoftegade", "Lundtoftegade", (722300, 6177780), 2, [
        (255, 11, "Lundtoftegade I", 170, 130, None, 340),
        (255, 14, "Lundtoftegade II", 170, 130, None, 330),
    ], (42.5, -0.6, 54.5, 292)),
    ("aldersrogade", "Aldersrogade", (723100, 6179220), 2, [
        (255, 37, "Aldersrogade I", 160, 140, None, 280),
        (255, 38, "Aldersrogade II", 150, 140, ("se", 70, 60), 250),
    ], (43.0, -0.9, 52.0, 298)),
]

# Neighbourhood clusters for the other departments:
# (x, y, spread, weight, organisations, street names).
CLUSTERS = [
    (722700, 6178300, 250, 8, [255, 739, 49, 153],
     ["Mimersgade", "Heimdalsgade", "Rovsingsgade", "Tagensvej", "Hillerødgade", "Hothers Plads"]),
    (723300, 6177050, 200, 5, [255, 153, 49, 422],
     ["Blågårdsgade", "Stengade", "Korsgade", "Nørrebrogade", "Fensmarkgade"]),
    (723150, 6179250, 200, 3, [255, 774, 49],
     ["Haraldsgade", "Emblasgade", "Ragnhildgade", "Vognvænget"]),
    (721600, 6178900, 350, 9, [255, 146, 233, 153, 774],
     ["Frederikssundsvej", "Rentemestervej", "Tomsgårdsvej", "Glasvej", "Lygten", "Dortheavej",
      "Bispeparken", "Degnestavnen"]),
    (722100, 6179700, 250, 5, [255, 146, 410],
     ["Bispebjerg Bakke", "Hulgårdsvej", "Provstevænget", "Birkedommervej"]),
    (721900, 6180600, 200, 3, [233, 146],
     ["Bispebjerg Parkallé", "Tuborgvej", "Utterslevvej"]),
    (718000, 6179400, 300, 6, [233, 153, 410],
     ["Husumvej", "Gadelandet", "Kobbelvænget", "Storegården", "Husum Torv"]),
    (719000, 6180400, 250, 3, [153, 233],
     ["Ruten", "Terrasserne", "Langhusvej"]),
    (719750, 6173450, 250, 5, [739, 410, 153],
     ["Kulbanevej", "Retortvej", "Vigerslevvej", "Lykkebovej"]),
    (720350, 6172650, 250, 5, [410, 49, 774],
     ["Gammel Køge Landevej", "Ellebjergvej", "Folehavevej", "Vigerslev Vænge"]),
    (722000, 6173300, 350, 8, [255, 49, 153, 410],
     ["Mozartsvej", "Borgbygård", "Wagnersvej", "Hørhusvej", "Karens Minde", "Sydhavns Plads",
      "Sjælør Station"]),
    (723150, 6175050, 250, 5, [153, 255, 49, 422],
     ["Istedgade", "Enghavevej", "Saxogade", "Halmtorvet", "Skydebanegade"]),
    (722500, 6172300, 250, 3, [255, 410],
     ["Frederikskaj", "Scandiagade", "Støberigade"]),
    (726250, 6173450, 300, 8, [410, 146, 739, 153, 422],
     ["Amager Fælledvej", "Tingvej", "Lergravsvej", "Irlandsvej", "Skotlandsgade", "Brigadevej"]),
    (727050, 6174300, 200, 3, [146, 153, 49],
     ["Portugalsgade", "Frankrigsgade", "Ungarnsgade"]),
    (727300, 6172150, 200, 3, [410, 739],
     ["Gyldenrisvej", "Kastrupvej", "Englandsvej"]),
    # outside the deprived areas
    (725900, 6175700, 200, 2, [153, 422, 214],
     ["Torvegade", "Dronningensgade", "Sofiegården", "Wildersgade"]),
    (724700, 6176900, 200, 1, [153, 214],
     ["Adelgade", "Gothersgade", "Nyboder"]),
    (725000, 6179200, 400, 3, [153, 49, 214, 778],
     ["Kildevældsgade", "Strandboulevarden", "Tåsingegade", "Lyngbyvej", "Vognmandsmarken"]),
    (724300, 6180300, 300, 2, [255, 153, 778],
     ["Ryparken", "Ryvangs Allé", "Lersø Parkallé"]),
    (719000, 6177000, 400, 3, [233, 153, 49],
     ["Jernbane Allé", "Ålekistevej", "Slotsherrensvej", "Hyltebjerg Allé", "Vanløse Allé"]),
    (719700, 6179200, 350, 3, [233, 153, 410],
     ["Bellahøjvej", "Brønshøj Torv", "Krabbesholmvej", "Brønshøjvej"]),
    (721200, 6171900, 300, 2, [410, 774, 739],
     ["Valby Langgade", "Toftegårds Allé", "Vigerslev Allé"]),
    (728200, 6175800, 350, 3, [146, 153, 49, 214],
     ["Øresundsvej", "Amager Strandvej", "Holmbladsgade", "Italiensvej"]),
    (727700, 6177200, 250, 1, [146, 739],
     ["Prags Boulevard", "Kløvermarksvej"]),
    (724700, 6172300, 300, 2, [153, 422, 778],
     ["Hannemanns Allé", "Vejlands Allé", "Grønjordsvej"]),
    (725300, 6171400, 250, 2, [49, 153],
     ["Ørestads Boulevard", "Arne Jacobsens Allé"]),
    (723800, 6177900, 200, 1, [255, 49],
     ["Guldbergsgade", "Sankt Hans Gade"]),
]

N_DEPARTMENTS = 180

PLAYGROUNDS = [
    ("Bemandet legeplads Mjølnerparken", (722450, 6178950)),
    ("Byggelegepladsen Byggeren", (722870, 6177330)),
    ("Legepladsen Nørrebroparken", (722760, 6177960)),
    ("Bemandet legeplads Haraldsgade", (723050, 6179450)),
    ("Bemandet legeplads Tingbjerg", (718700, 6180050)),
    ("Bemandet legeplads Husum", (718000, 6179300)),
    ("Bemandet legeplads Bispeparken", (721700, 6178700)),
    ("Bemandet legeplads Lersøen", (721900, 6179200)),
    ("Bemandet legeplads Remiseparken", (726350, 6173000)),
    ("Bemandet legeplads Sundholm", (726400, 6174100)),
    ("Bemandet legeplads Gyldenrisparken", (727300, 6172150)),
    ("Bemandet legeplads Folehaven", (720450, 6172450)),
    ("Bemandet legeplads Kulbanevej", (719700, 6173350)),
    ("Bemandet legeplads Karens Minde", (722100, 6172950)),
    ("Bemandet legeplads Skydebanehaven", (723300, 6175150)),
    ("Trafiklegepladsen i Fælledparken", (724900, 6178000)),
    ("Bemandet legeplads Christianshavn", (725800, 6175650)),
]

YEARS = (2010, 2011, 2012, 2013)

# District profiles for 2010 (synthetic): residents, outside-labour share,
# non-Western share, convictions per 10 000, income offset, yearly growth.
DISTRICT_PROFILE = {
    1: (47200, 9.4, 7.2, 88, 28000, 0.012),
    2: (71100, 8.6, 7.9, 79, 16000, 0.014),
    3: (73300, 18.6, 26.8, 192, -9000, 0.011),
    4: (58900, 15.8, 17.3, 161, -2000, 0.021),
    5: (48100, 14.7, 15.9, 142, -3000, 0.016),
    6: (37200, 11.1, 10.8, 104, 6000, 0.009),
    7: (41300, 16.9, 20.4, 168, -7000, 0.010),
    8: (50800, 19.8, 24.1, 187, -12000, 0.012),
    9: (51400, 12.6, 12.7, 121, 4000, 0.015),
    10: (62700, 16.2, 18.2, 156, -4000, 0.031),
}

HEADER = ("residents,outside_labour_force_share,employment_rate,mean_income_dkk,"
          "basic_schooling_share,non_western_share,convictions_per_10000,"
          "voter_turnout,safety_index")


# --------------------------------------------------------------- geometry --

def point_in_ring(x, y, ring):
    inside = False
    n = len(ring)
    for k in range(n):
        x1, y1 = ring[k]
        x2, y2 = ring[(k + 1) % n]
        if (y1 > y) != (y2 > y):
            if x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def point_in_geometry(x, y, geom):
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    for poly in polys:
        if point_in_ring(x, y, poly[0]) and not any(point_in_ring(x, y, h) for h in poly[1:]):
            return True
    return False


def ring_area2(ring):
    """Twice the signed area of an open ring (positive = counter-clockwise)."""
    s = 0
    n = len(ring)
    for k in range(n):
        x1, y1 = ring[k]
        x2, y2 = ring[(k + 1) % n]
        s += x1 * y2 - x2 * y1
    return s


def drop_collinear(ring):
    changed = True
    while changed:
        changed = False
        out = []
        n = len(ring)
        for k in range(n):
            a, b, c = ring[k - 1], ring[k], ring[(k + 1) % n]
            if (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]) == 0:
                changed = True
                continue
            out.append(b)
        if changed:
            ring = out
    return ring


def close_ring(ring):
    k = ring.index(min(ring))
    ring = ring[k:] + ring[:k]
    return [[x, y] for x, y in ring] + [[ring[0][0], ring[0][1]]]


def components(cells):
    left = set(cells)
    comps = []
    for start in sorted(cells):
        if start not in left:
            continue
        left.discard(start)
        stack, comp = [start], []
        while stack:
            i, j = stack.pop()
            comp.append((i, j))
            for n in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
                if n in left:
                    left.discard(n)
                    stack.append(n)
        comps.append(sorted(comp))
    return comps


def component_rings(comp):
    """Boundary rings (grid vertex coordinates) of one 4-connected cell set.

    Edges are directed with the interior on the left, so the shell comes out
    counter-clockwise and holes clockwise.  Where two cells of the component
    touch only at a corner, the walk turns right, which keeps each ring simple
    (shell and hole may then touch at that single point, which is valid).
    """
    edges = set()
    for i, j in comp:
        v = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
        for k in range(4):
            e = (v[k], v[(k + 1) % 4])
            r = (e[1], e[0])
            if r in edges:
                edges.discard(r)
            else:
                edges.add(e)
    out = {}
    for a, b in edges:
        out.setdefault(a, []).append(b)
    rings = []
    while edges:
        start = min(e for e in edges if len(out[e[0]]) == 1)
        ring = [start[0]]
        a, b = start
        while True:
            edges.discard((a, b))
            out[a].remove(b)
            if b == start[0]:
                break
            ring.append(b)
            d = (b[0] - a[0], b[1] - a[1])
            nxt = out[b]
            if len(nxt) == 1:
                c = nxt[0]
            else:
                right = (d[1], -d[0])
                c = [n for n in nxt if (n[0] - b[0], n[1] - b[1]) == right][0]
            a, b = b, c
        rings.append(drop_collinear(ring))
    return rings


def cells_geometry(cells, size):
    polys = []
    for comp in components(cells):
        rings = component_rings(comp)
        shells = [r for r in rings if ring_area2(r) > 0]
        holes = [r for r in rings if ring_area2(r) < 0]
        assert len(shells) == 1, "one shell per component"
        poly = []
        for ring in shells + sorted(holes, key=min):
            poly.append(close_ring([(X0 + i * size, Y0 + j * size) for i, j in ring]))
        polys.append(poly)
    polys.sort(key=lambda p: (p[0][0][1], p[0][0][0]))
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


def cell_centre(i, j, size):
    return X0 + i * size + size / 2, Y0 + j * size + size / 2


def disc_cells(discs, allowed):
    """Fine cells of `allowed` whose centre lies in one of the discs."""
    out = []
    for c in sorted(allowed):
        x, y = cell_centre(c[0], c[1], FINE)
        if any((x - sx) ** 2 + (y - sy) ** 2 <= r * r for sx, sy, r in discs):
            out.append(c)
    return out


def disc_score(c, discs):
    x, y = cell_centre(c[0], c[1], FINE)
    return min(math.hypot(x - sx, y - sy) / r for sx, sy, r in discs)


def claim(groups, allowed):
    """Cells per group; a cell wanted by several groups goes to the nearest disc."""
    wanted = {}
    for key, discs in groups:
        for c in disc_cells(discs, allowed):
            wanted.setdefault(c, []).append((disc_score(c, discs), key))
    result = {key: [] for key, _ in groups}
    for c in sorted(wanted):
        result[min(wanted[c])[1]].append(c)
    return result


def rect_polygon(x, y, w, h, notch):
    """Axis-aligned rectangle (x, y = lower-left) or L-shape, CCW, closed."""
    if notch is None:
        pts = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    else:
        corner, nw, nh = notch
        if corner == "ne":
            pts = [(x, y), (x + w, y), (x + w, y + h - nh), (x + w - nw, y + h - nh),
                   (x + w - nw, y + h), (x, y + h)]
        elif corner == "nw":
            pts = [(x, y), (x + w, y), (x + w, y + h), (x + nw, y + h),
                   (x + nw, y + h - nh), (x, y + h - nh)]
        elif corner == "se":
            pts = [(x, y), (x + w - nw, y), (x + w - nw, y + nh), (x + w, y + nh),
                   (x + w, y + h), (x, y + h)]
        else:  # "sw"
            pts = [(x + nw, y), (x + w, y), (x + w, y + h), (x, y + h),
                   (x, y + nh), (x + nw, y + nh)]
    return close_ring(pts)


def polygon_centroid(ring):
    a = cx = cy = 0.0
    for k in range(len(ring) - 1):
        x1, y1 = ring[k]
        x2, y2 = ring[k + 1]
        cr = x1 * y2 - x2 * y1
        a += cr
        cx += (x1 + x2) * cr
        cy += (y1 + y2) * cr
    return cx / (3 * a), cy / (3 * a)


def cells_under(box, size):
    x1, y1, x2, y2 = box
    i1, j1 = (x1 - X0) // size, (y1 - Y0) // size
    i2, j2 = -((X0 - x2) // size), -((Y0 - y2) // size)
    return [(i, j) for i in range(i1, i2) for j in range(j1, j2)]


def boxes_apart(a, b, gap):
    return (a[2] + gap <= b[0] or b[2] + gap <= a[0] or
            a[3] + gap <= b[1] or b[3] + gap <= a[1])


def convex_hull(points):
    pts = sorted(set(points))

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def slugify(text):
    text = text.lower()
    for a, b in (("æ", "ae"), ("ø", "o"), ("å", "aa"), ("é", "e")):
        text = text.replace(a, b)
    out = []
    for ch in text:
        out.append(ch if ch.isascii() and ch.isalnum() else "-")
    return "-".join(p for p in "".join(out).split("-") if p)


# ----------------------------------------------------------------- output --

def feature(props, geom):
    return {"type": "Feature", "properties": props, "geometry": geom}


def write_geojson(outdir, name, features):
    lines = ["{", '"type": "FeatureCollection",', '"name": %s,' % json.dumps(name),
             '"crs": %s,' % json.dumps(CRS), '"features": [']
    for k, f in enumerate(features):
        sep = "," if k + 1 < len(features) else ""
        lines.append(json.dumps(f, ensure_ascii=False, separators=(", ", ": ")) + sep)
    lines += ["]", "}"]
    with open(os.path.join(outdir, name + ".geojson"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")


def write_csv(outdir, name, header, rows):
    with open(os.path.join(outdir, name), "w", encoding="utf-8", newline="\n") as fh:
        fh.write(header + "\n")
        for row in rows:
            fh.write(",".join(row) + "\n")


def clamp(v, lo, hi):
    return max(lo, min(hi, v))


def f1(v):
    return "%.1f" % (round(v, 1) + 0.0)


# ------------------------------------------------------------------- main --

def build(outdir):
    rng = random.Random(2011)

    # Municipality cells and districts (500 m).
    muni = []
    for i in range(40):
        for j in range(30):
            x, y = cell_centre(i, j, BIG)
            if point_in_ring(x, y, OUTLINE) and not point_in_ring(x, y, FREDERIKSBERG):
                muni.append((i, j))
    muni_set = set(muni)
    district_cells = {nr: [] for nr, _ in DISTRICTS}
    for c in muni:
        x, y = cell_centre(c[0], c[1], BIG)
        best = min(DISTRICT_SEEDS, key=lambda s: ((x - s[1]) ** 2 + (y - s[2]) ** 2, s[0]))
        district_cells[best[0]].append(c)
    districts = [feature({"bydel_nr": nr, "navn": navn}, cells_geometry(district_cells[nr], BIG))
                 for nr, navn in DISTRICTS]
    write_geojson(outdir, "districts", districts)

    fine_muni = sorted((2 * i + a, 2 * j + b) for i, j in muni for a in (0, 1) for b in (0, 1))

    # Deprived areas (250 m).
    dep_cells = claim([(slug, discs) for slug, _, discs in DEPRIVED], fine_muni)
    dep_set = {slug: set(dep_cells[slug]) for slug, _, _ in DEPRIVED}
    dep_name = {slug: navn for slug, navn, _ in DEPRIVED}
    deprived = [feature({"id": slug, "navn": navn, "policy_year": 2011},
                        cells_geometry(dep_cells[slug], FINE)) for slug, navn, _ in DEPRIVED]
    write_geojson(outdir, "deprived_areas", deprived)

    # Renewal zones.
    ren_cells = claim([(r[0], [r[5]]) for r in RENEWAL], fine_muni)
    renewal = [feature({"id": rid, "navn": navn, "start_year": s, "end_year": e,
                        "budget_mio_dkk": b}, cells_geometry(ren_cells[rid], FINE))
               for rid, navn, s, e, b, _ in RENEWAL]
    write_geojson(outdir, "renewal_zones", renewal)

    # Green teams: eroded subsets of their deprived area.
    gt_groups = []
    for gid, _, _, area, disc in GREEN_TEAMS:
        cells = dep_set[area]
        core = [c for c in sorted(cells)
                if all((c[0] + a, c[1] + b) in cells for a in (-1, 0, 1) for b in (-1, 0, 1))]
        gt_groups.append((gid, [disc], core))
    gt_cells = {}
    for gid, discs, core in gt_groups:
        gt_cells[gid] = claim([(g, d) for g, d, _ in gt_groups], core)[gid]
        assert gt_cells[gid], gid
    green = [feature({"id": gid, "navn": navn, "start_year": year, "deprived_area": dep_name[area]},
                     cells_geometry(gt_cells[gid], FINE))
             for gid, navn, year, area, _ in GREEN_TEAMS]
    write_geojson(outdir, "green_teams", green)

    # Housing departments.
    def area_of_box(box):
        """Deprived area fully containing box, '' if clear of all (10 m), None otherwise."""
        cells = cells_under(box, FINE)
        near = cells_under((box[0] - 10, box[1] - 10, box[2] + 10, box[3] + 10), FINE)
        for slug, _, _ in DEPRIVED:
            if all(c in dep_set[slug] for c in cells):
                return slug
            if any(c in dep_set[slug] for c in near):
                return None
        return ""

    def in_muni(box):
        return all(c in muni_set for c in cells_under(box, BIG))

    depts = []  # dicts
    boxes = []
    used_ids = set()
    for slug, navn, (cx, cy), cols, members, profile in ESTATES:
        rows = [members[k:k + cols] for k in range(0, len(members), cols)]
        row_h = [max(m[4] for m in row) for row in rows]
        total_h = sum(row_h) + 12 * (len(rows) - 1)
        y = cy + total_h // 2
        for row, rh in zip(rows, row_h):
            y -= rh
            total_w = sum(m[3] for m in row) + 12 * (len(row) - 1)
            x = cx - total_w // 2
            for org, nr, dname, w, h, notch, dwell in row:
                box = (x, y, x + w, y + h)
                assert in_muni(box) and area_of_box(box), dname
                assert all(boxes_apart(box, b, 10) for b in boxes), dname
                depts.append({"org": org, "nr": nr, "navn": dname, "box": box, "notch": notch,
                              "dwellings": dwell, "estate": slug, "profile": profile})
                boxes.append(box)
                used_ids.add((org, nr))
                x += w + 12
            y -= 12

    next_nr = {org: 100 + 37 * k for k, org in enumerate(sorted(ORGANISATIONS))}
    used_names = {}
    weights = [c[3] for c in CLUSTERS]
    attempts = 0
    while len(depts) < N_DEPARTMENTS:
        attempts += 1
        assert attempts < 200000
        cl = rng.choices(CLUSTERS, weights)[0]
        cx = cl[0] + rng.gauss(0, cl[2])
        cy = cl[1] + rng.gauss(0, cl[2])
        w = rng.choice(range(60, 241, 10))
        h = rng.choice(range(60, 181, 10))
        notch = None
        if w >= 130 and h >= 130 and rng.random() < 0.3:
            notch = (rng.choice(["ne", "nw", "se", "sw"]),
                     rng.choice(range(60, w - 59, 10)), rng.choice(range(60, h - 59, 10)))
        x, y = int(round(cx - w / 2, -1)), int(round(cy - h / 2, -1))
        box = (x, y, x + w, y + h)
        if not in_muni(box) or area_of_box(box) is None:
            continue
        if not all(boxes_apart(box, b, 15) for b in boxes):
            continue
        org = rng.choice(cl[4])
        nr = next_nr[org]
        while (org, nr) in used_ids:
            nr += 1
        next_nr[org] = nr + rng.randint(1, 6)
        street = rng.choice(cl[5])
        used_names[street] = used_names.get(street, 0) + 1
        roman = ["", " II", " III", " IV", " V", " VI", " VII", " VIII", " IX", " X"]
        dname = street + roman[min(used_names[street], 10) - 1]
        density = rng.uniform(0.010, 0.021)
        area = w * h - (notch[1] * notch[2] if notch else 0)
        depts.append({"org": org, "nr": nr, "navn": dname, "box": box, "notch": notch,
                      "dwellings": max(12, int(round(area * density))), "estate": "",
                      "profile": None})
        boxes.append(box)
        used_ids.add((org, nr))

    for d in depts:
        x1, y1, x2, y2 = d["box"]
        d["ring"] = rect_polygon(x1, y1, x2 - x1, y2 - y1, d["notch"])
        d["id"] = "%04d-%04d" % (d["org"], d["nr"])
        cx, cy = polygon_centroid(d["ring"])
        d["area"] = ""  # deprived area containing the centroid
        for f in deprived:
            if point_in_geometry(cx, cy, f["geometry"]):
                d["area"] = f["properties"]["id"]
        if d["estate"]:
            hh = rng.uniform(2.05, 2.4)
        elif d["area"]:
            hh = rng.uniform(1.8, 2.25)
        else:
            hh = rng.uniform(1.6, 1.95)
        d["residents"] = int(round(d["dwellings"] * hh))
    depts.sort(key=lambda d: d["id"])
    assert len({d["id"] for d in depts}) == len(depts)

    write_geojson(outdir, "housing_departments", [
        feature({"id": d["id"], "navn": d["navn"], "organisation": ORGANISATIONS[d["org"]],
                 "organisation_nr": d["org"], "department_nr": d["nr"],
                 "dwellings": d["dwellings"], "residents": d["residents"],
                 "housing_area": d["estate"]},
                {"type": "Polygon", "coordinates": [d["ring"]]}) for d in depts])

    # Housing areas: convex hull of the estate's departments.
    areas = []
    for slug, navn, _, _, _, _ in ESTATES:
        pts = [tuple(p) for d in depts if d["estate"] == slug for p in d["ring"]]
        hull = drop_collinear(convex_hull(pts))
        areas.append(feature({"id": slug, "navn": navn},
                             {"type": "Polygon", "coordinates": [close_ring(hull)]}))
    write_geojson(outdir, "housing_areas", areas)

    # Manned playgrounds.
    write_geojson(outdir, "playgrounds", [
        feature({"id": slugify(navn), "navn": navn, "kind": "bemandet legeplads"},
                {"type": "Point", "coordinates": [x, y]}) for navn, (x, y) in PLAYGROUNDS])

    # Department indicators (SYNTHETIC).
    inside = [d for d in depts if d["area"] and not d["estate"]]
    crossers = set(d["id"] for d in rng.sample(inside, 14))
    rows = []
    for d in depts:
        if d["estate"]:
            olf0, trend, nonw0, conv0 = d["profile"]
            olf0 += rng.uniform(-2.0, 2.0)
            trend += rng.uniform(-0.3, 0.3)
            nonw0 += rng.uniform(-4.0, 4.0)
            conv0 += rng.uniform(-20, 20)
        else:
            if d["id"] in crossers:
                side = rng.choice((-1, 1))
                olf0 = 40.0 + side * rng.uniform(0.8, 2.6)
                trend = -side * rng.uniform(1.4, 2.2)
            elif d["area"]:
                olf0 = rng.uniform(20.0, 36.5)
                trend = rng.uniform(-0.8, 0.4)
            else:
                olf0 = rng.uniform(7.0, 24.0)
                trend = rng.uniform(-0.6, 0.3)
            nonw0 = -6.0 + 1.15 * olf0 + rng.uniform(-9.0, 9.0)
            conv0 = 30 + 5.2 * olf0 + rng.uniform(-40, 40)
        emp_off = rng.uniform(-5.0, 5.0)
        inc_off = rng.uniform(-25000, 25000)
        bas_off = rng.uniform(-6.0, 6.0)
        vot_off = rng.uniform(-5.0, 5.0)
        saf_off = rng.uniform(-7.0, 7.0)
        growth = rng.uniform(-0.012, 0.012)
        for y in YEARS:
            t = y - 2010
            olf = clamp(olf0 + trend * t + rng.uniform(-0.4, 0.4), 2.0, 70.0)
            if round(olf, 1) == 40.0:  # keep clear of the 40 % threshold itself
                olf = 40.1 if olf >= 40.0 else 39.9
            dx = olf - olf0
            res = int(round(d["residents"] * (1 + growth * (y - 2013))))
            emp = clamp(84.0 - 0.85 * olf + emp_off + 0.3 * t + rng.uniform(-0.4, 0.4), 20.0, 90.0)
            inc = clamp((385000 - 4300 * olf + inc_off) * (1.018 ** t) + rng.uniform(-1500, 1500),
                        150000, 400000)
            bas = clamp(9.0 + 0.8 * olf + bas_off - 0.3 * t + rng.uniform(-0.4, 0.4), 3.0, 80.0)
            nonw = clamp(nonw0 + 0.3 * dx + 0.4 * t + rng.uniform(-0.4, 0.4), 1.0, 95.0)
            conv = clamp(conv0 + 4.0 * dx - 3.0 * t + rng.uniform(-6, 6), 50, 600)
            vot = clamp(80.0 - 0.75 * olf + vot_off + 0.5 * t + rng.uniform(-0.5, 0.5), 20.0, 90.0)
            saf = clamp(88.0 - 0.8 * olf + saf_off + 0.5 * t + rng.uniform(-0.5, 0.5), 0.0, 100.0)
            rows.append([d["id"], str(y), str(res), f1(olf), f1(emp), str(int(round(inc))),
                         f1(bas), f1(nonw), str(int(round(conv))), f1(vot), f1(saf)])
    write_csv(outdir, "indicators_housing_departments.csv", "department_id,year," + HEADER, rows)

    # District indicators (SYNTHETIC).
    rows = []
    for nr, _ in DISTRICTS:
        res0, olf0, nonw0, conv0, inc_off, growth = DISTRICT_PROFILE[nr]
        trend = rng.uniform(-0.4, -0.1)
        for y in YEARS:
            t = y - 2010
            olf = olf0 + trend * t + rng.uniform(-0.15, 0.15)
            dx = olf - olf0
            res = int(round(res0 * (1 + growth) ** t, -1))
            emp = 83.0 - 0.8 * olf + 0.3 * t + rng.uniform(-0.2, 0.2)
            inc = (372000 - 4300 * olf + inc_off) * (1.018 ** t) + rng.uniform(-800, 800)
            bas = 8.0 + 0.75 * olf - 0.3 * t + rng.uniform(-0.2, 0.2)
            nonw = nonw0 + 0.3 * dx + 0.3 * t + rng.uniform(-0.2, 0.2)
            conv = conv0 + 4.0 * dx - 2.0 * t + rng.uniform(-3, 3)
            vot = 78.0 - 0.7 * olf + 0.4 * t + rng.uniform(-0.3, 0.3)
            saf = 90.0 - 0.8 * olf + 0.4 * t + rng.uniform(-0.3, 0.3)
            rows.append([str(nr), str(y), str(res), f1(olf), f1(emp), str(int(round(inc))),
                         f1(bas), f1(nonw), str(int(round(conv))), f1(vot), f1(saf)])
    write_csv(outdir, "indicators_districts.csv", "bydel_nr,year," + HEADER, rows)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=here, help="output directory (default: %(default)s)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    build(args.out)


if __name__ == "__main__":
    main()
