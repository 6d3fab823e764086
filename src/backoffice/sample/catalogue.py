"""Reference data of the sample: the providers, their SKUs, customer names.

Prices are list prices (EUR per unit per month, net of VAT); the CRM applies the
reseller's agreed discount, which is why agreed prices have up to 4 decimals.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from backoffice.sample.model import Customer, Product

D = Decimal
VAT22 = D("22.00")
VAT10 = D("10.00")


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    source: str
    name: str
    vat: str  # 11 digits, without IT
    street: str
    cap: str
    city: str
    province: str


def vat_check_digit(first10: str) -> str:
    """The Italian partita IVA control digit (Luhn-like on 10 digits)."""
    odd = sum(int(c) for c in first10[0::2])
    even = 0
    for c in first10[1::2]:
        doubled = int(c) * 2
        even += doubled - 9 if doubled > 9 else doubled
    return str((10 - (odd + even) % 10) % 10)


def partita_iva(first10: str) -> str:
    return first10 + vat_check_digit(first10)


PROVIDERS = {
    "alfa": ProviderInfo(
        "alfa",
        "Telco Alfa S.p.A.",
        partita_iva("0458712015"),
        "Via Ostiense 131/L",
        "00154",
        "Roma",
        "RM",
    ),
    "nuvola": ProviderInfo(
        "nuvola",
        "Nuvola Cloud S.r.l.",
        partita_iva("1093384096"),
        "Corso Como 15",
        "20154",
        "Milano",
        "MI",
    ),
    # The opt-in fourth source (sample/zefiro.py): written only when asked for.
    "zefiro": ProviderInfo(
        "zefiro",
        "Zefiro Networks S.r.l.",
        partita_iva("0287154063"),
        "Via Nizza 262",
        "10126",
        "Torino",
        "TO",
    ),
}

PRODUCTS: dict[str, tuple[Product, ...]] = {
    "alfa": (
        Product("alfa", "ALF-FTTH-1G", "Fibra FTTH 1 Gbps Business", D("39.90"), VAT22),
        Product("alfa", "ALF-FTTH-2G5", "Fibra FTTH 2,5 Gbps Business Pro", D("59.90"), VAT22),
        Product("alfa", "ALF-FWA-200", "FWA 200 Mbps Business", D("29.90"), VAT22),
        Product("alfa", "ALF-MOB-100G", "SIM Business 5G 100 GB", D("12.99"), VAT22),
        Product("alfa", "ALF-VOIP-CH", "Canale VoIP aggiuntivo", D("4.50"), VAT22),
        Product("alfa", "ALF-IP-29", "Subnet IP statica /29", D("9.00"), VAT22),
        Product("alfa", "ALF-SDWAN-BR", "SD-WAN Branch Edge gestito", D("119.00"), VAT22),
        Product("alfa", "ALF-M2M-10M", "SIM M2M IoT 10 MB", D("0.8750"), VAT22),
        Product("alfa", "ALF-PBX-EXT", "Centralino cloud, interno", D("6.25"), VAT22),
        Product("alfa", "ALF-TLS-ASS", "Telesoccorso e teleassistenza", D("18.00"), VAT10),
        Product("alfa", "ALF-DF-P2P", "Fibra spenta punto-punto 10 km", D("1250.00"), VAT22),
    ),
    "nuvola": (
        Product("nuvola", "NUV-VM-S", "Server virtuale S (2 vCPU, 4 GB RAM)", D("24.50"), VAT22),
        Product("nuvola", "NUV-VM-M", "Server virtuale M (4 vCPU, 16 GB RAM)", D("69.00"), VAT22),
        Product("nuvola", "NUV-BKP-500", "Backup cloud 500 GB", D("15.90"), VAT22),
        Product("nuvola", "NUV-BKP-1T", "Backup cloud 1 TB", D("27.50"), VAT22),
        Product("nuvola", "NUV-M365-BP", "Microsoft 365 Business Premium", D("20.60"), VAT22),
        Product("nuvola", "NUV-M365-BB", "Microsoft 365 Business Basic", D("5.60"), VAT22),
        Product("nuvola", "NUV-S3-TB", "Object storage, per TB", D("18.75"), VAT22),
        Product("nuvola", "NUV-DR-VM", "Disaster recovery per VM", D("32.125"), VAT22),
        Product("nuvola", "NUV-PEC-PRO", "Casella PEC Pro 2 GB", D("1.375"), VAT22),
        Product("nuvola", "NUV-FW-MGD", "Firewall gestito \u2013 più sicurezza", D("45.00"), VAT22),
        Product("nuvola", "NUV-GPU-A100", "Server GPU dedicato NVIDIA A100", D("1890.00"), VAT22),
    ),
    "zefiro": (
        Product("zefiro", "ZEF-VPN-10", "VPN MPLS 10 Mbps sede secondaria", D("54.00"), VAT22),
        Product("zefiro", "ZEF-VPN-100", "VPN MPLS 100 Mbps sede principale", D("189.00"), VAT22),
        Product("zefiro", "ZEF-WIFI-AP", "Wi-Fi gestito, per access point", D("7.90"), VAT22),
        Product("zefiro", "ZEF-SOC-24", "SOC 24/7 monitoraggio sicurezza", D("349.00"), VAT22),
        Product("zefiro", "ZEF-BKUP-LTE", "Backup LTE per linea dati", D("14.50"), VAT22),
        Product("zefiro", "ZEF-DNS-SEC", "DNS filtering per utente", D("1.95"), VAT22),
    ),
}

# Quantity ranges that look like real orders for each SKU family.
BULK_SKUS = {
    "ALF-M2M-10M": (20, 200),
    "ALF-MOB-100G": (1, 25),
    "NUV-M365-BB": (5, 60),
    "NUV-M365-BP": (3, 40),
    "NUV-PEC-PRO": (2, 30),
    "ALF-PBX-EXT": (4, 40),
    "ALF-VOIP-CH": (2, 16),
}

DISCOUNTS = (D("0"), D("0"), D("0.05"), D("0.10"), D("0.125"), D("0.15"))

_FIRST = (
    "Rossi",
    "Bianchi",
    "Esposito",
    "Ferrari",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De Luca",
    "Mancini",
    "Costa",
    "Giordano",
    "Rizzo",
    "Lombardi",
    "Moretti",
    "Barbieri",
    "Fontana",
    "Santoro",
    "Mariani",
    "Caruso",
)
_TRADE = (
    "Società Agricola {n}",
    "Caffè {n}",
    "Studio Associato {n}, {m} e Partner",
    "{n} & {m} S.n.c.",
    "Officine {n} S.r.l.",
    "Farmacia {n} Dott.ssa Lucia",
    "Hotel {n} Città Alta S.r.l.",
    "Pasticceria {n} di Nicolò {m}",
    "{n} Logistica S.p.A.",
    "Autotrasporti {n} S.r.l.s.",
    "Ristorante Al Vecchio Forno di {n}",
    "{n} Impianti Elettrici S.r.l.",
    "Cooperativa Sociale {n} Onlus",
    "{n} Moda S.r.l.",
    "Ferramenta {n}, {m} & C. S.a.s.",
    "Clinica Veterinaria {n}",
)
_PLACES = (
    ("Via Garibaldi", "10121", "Torino", "TO"),
    ("Corso Buenos Aires", "20124", "Milano", "MI"),
    ("Via dei Mille", "80121", "Napoli", "NA"),
    ("Via Indipendenza", "40121", "Bologna", "BO"),
    ("Viale Europa", "50126", "Firenze", "FI"),
    ("Via Roma", "90133", "Palermo", "PA"),
    ("Corso Vittorio Emanuele II", "00186", "Roma", "RM"),
    ("Via XX Settembre", "16121", "Genova", "GE"),
    ("Riva del Garda", "38066", "Riva del Garda", "TN"),
    ("Piazza Duomo", "73100", "Lecce", "LE"),
)


_OFFICES = ("001", "015", "037", "058", "063", "081", "096", "121")


def customer(seed: int, index: int) -> Customer:
    """Customer number `index`, derived from the seed alone so none need be stored."""
    rng = random.Random(f"customer:{seed}:{index}")
    progressive = (index * 7919 + seed) % 10**7  # 7919 is prime: distinct for 10**7 customers
    vat = "IT" + partita_iva(f"{progressive:07d}{rng.choice(_OFFICES)}")
    n, m = rng.sample(_FIRST, 2)
    name = rng.choice(_TRADE).format(n=n, m=m)
    street, cap, city, province = rng.choice(_PLACES)
    return Customer(vat, name, f"{street} {rng.randint(1, 180)}", cap, city, province)
