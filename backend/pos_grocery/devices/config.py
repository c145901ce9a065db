"""Frozen device-service configuration built from an environment mapping (never at import)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pos_grocery.envvars import boolean as _bool
from pos_grocery.envvars import integer as _int
from pos_grocery.errors import ConfigError

MODES = ("simulated", "real")
PRINTER_TRANSPORTS = ("usb", "serial", "tcp", "file")


@dataclass(frozen=True, slots=True)
class DeviceConfig:
    """Every setting of the device service; docs/DEVICES.md lists the variables."""

    mode: str = "simulated"
    host: str = "127.0.0.1"
    port: int = 8260
    state_dir: str = "./data/devices"
    printer_transport: str = "usb"
    printer_port: str = ""
    printer_baud: int = 9600
    printer_host: str = ""
    printer_tcp_port: int = 9100
    printer_usb_vendor: int = 0x04B8
    printer_usb_product: int = 0x0202
    printer_width_mm: int = 80
    printer_code_page: str = "cp437"
    drawer_pin: int = 2
    drawer_on_ms: int = 100
    drawer_off_ms: int = 500
    drawer_open_high: bool = True
    scale_port: str = ""
    scale_baud: int = 9600
    scale_capacity_g: int = 15_000
    display_port: str = ""
    display_baud: int = 9600
    io_timeout_ms: int = 2000
    status_timeout_ms: int = 300
    weigh_timeout_ms: int = 3000
    sim_keep: int = 50

    @property
    def simulated(self) -> bool:
        """True when protocol-speaking simulators stand in for the hardware."""
        return self.mode == "simulated"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> DeviceConfig:
        """Build from DEVICE_* variables; raise ConfigError naming the first bad one."""
        return cls(
            mode=_choice(env, "DEVICE_MODE", "simulated", MODES),
            host=_text(env, "DEVICE_HOST", "127.0.0.1"),
            port=_int(env, "DEVICE_PORT", 8260, 1, 65535),
            state_dir=_text(env, "DEVICE_STATE_DIR", "./data/devices"),
            printer_transport=_choice(env, "DEVICE_PRINTER_TRANSPORT", "usb", PRINTER_TRANSPORTS),
            printer_port=_text(env, "DEVICE_PRINTER_PORT", ""),
            printer_baud=_int(env, "DEVICE_PRINTER_BAUD", 9600, 1200, 921_600),
            printer_host=_text(env, "DEVICE_PRINTER_HOST", ""),
            printer_tcp_port=_int(env, "DEVICE_PRINTER_TCP_PORT", 9100, 1, 65535),
            printer_usb_vendor=_hex(env, "DEVICE_PRINTER_USB_VENDOR", 0x04B8),
            printer_usb_product=_hex(env, "DEVICE_PRINTER_USB_PRODUCT", 0x0202),
            printer_width_mm=int(_choice(env, "DEVICE_PRINTER_WIDTH_MM", "80", ("58", "80"))),
            printer_code_page=_text(env, "DEVICE_PRINTER_CODE_PAGE", "cp437"),
            drawer_pin=int(_choice(env, "DEVICE_DRAWER_PIN", "2", ("2", "5"))),
            drawer_on_ms=_int(env, "DEVICE_DRAWER_ON_MS", 100, 2, 510),
            drawer_off_ms=_int(env, "DEVICE_DRAWER_OFF_MS", 500, 2, 510),
            drawer_open_high=_bool(env, "DEVICE_DRAWER_OPEN_HIGH", True),
            scale_port=_text(env, "DEVICE_SCALE_PORT", ""),
            scale_baud=_int(env, "DEVICE_SCALE_BAUD", 9600, 1200, 115_200),
            scale_capacity_g=_int(env, "DEVICE_SCALE_CAPACITY_G", 15_000, 1, 99_999),
            display_port=_text(env, "DEVICE_DISPLAY_PORT", ""),
            display_baud=_int(env, "DEVICE_DISPLAY_BAUD", 9600, 1200, 115_200),
            io_timeout_ms=_int(env, "DEVICE_IO_TIMEOUT_MS", 2000, 50, 60_000),
            status_timeout_ms=_int(env, "DEVICE_STATUS_TIMEOUT_MS", 300, 20, 10_000),
            weigh_timeout_ms=_int(env, "DEVICE_WEIGH_TIMEOUT_MS", 3000, 100, 60_000),
            sim_keep=_int(env, "DEVICE_SIM_KEEP", 50, 1, 10_000),
        )._checked()

    def _checked(self) -> DeviceConfig:
        from pos_grocery.devices.escpos import CODE_PAGES

        if self.printer_code_page not in CODE_PAGES:
            raise ConfigError("DEVICE_PRINTER_CODE_PAGE", f"use one of {sorted(CODE_PAGES)}")
        if self.mode == "real" and self.printer_transport == "tcp" and not self.printer_host:
            raise ConfigError("DEVICE_PRINTER_HOST", "required when DEVICE_PRINTER_TRANSPORT=tcp")
        if self.mode == "real" and self.printer_transport in ("serial", "file") and not self.printer_port:
            raise ConfigError("DEVICE_PRINTER_PORT", f"required when DEVICE_PRINTER_TRANSPORT={self.printer_transport}")
        return self


def _text(env: Mapping[str, str], name: str, default: str) -> str:
    return env.get(name, default).strip() or default


def _choice(env: Mapping[str, str], name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _text(env, name, default).lower()
    if value not in choices:
        raise ConfigError(name, f"must be one of {', '.join(choices)}, got {value!r}")
    return value



def _hex(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip().lower().removeprefix("0x")
    if not raw:
        return default
    try:
        value = int(raw, 16)
    except ValueError:
        raise ConfigError(name, f"must be a hexadecimal USB id such as 04b8, got {raw!r}") from None
    if not 0 <= value <= 0xFFFF:
        raise ConfigError(name, "must be a 16-bit USB id")
    return value
