"""DeviceConfig.from_env: defaults, parsing, and one clear error per bad variable."""

from __future__ import annotations

import pytest

from pos_grocery.devices.config import DeviceConfig
from pos_grocery.errors import ConfigError


def test_defaults() -> None:
    config = DeviceConfig.from_env({})
    assert (config.mode, config.host, config.port) == ("simulated", "127.0.0.1", 8260)
    assert config.simulated and config.printer_width_mm == 80 and config.drawer_pin == 2


def test_real_tcp_printer() -> None:
    config = DeviceConfig.from_env(
        {
            "DEVICE_MODE": "real",
            "DEVICE_PRINTER_TRANSPORT": "tcp",
            "DEVICE_PRINTER_HOST": "10.0.0.9",
            "DEVICE_PRINTER_WIDTH_MM": "58",
            "DEVICE_PRINTER_USB_VENDOR": "0x0519",
            "DEVICE_DRAWER_PIN": "5",
            "DEVICE_DRAWER_OPEN_HIGH": "no",
        }
    )
    assert not config.simulated and config.printer_host == "10.0.0.9" and config.printer_width_mm == 58
    assert config.printer_usb_vendor == 0x0519 and config.drawer_pin == 5 and not config.drawer_open_high


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DEVICE_MODE": "fake"}, "DEVICE_MODE"),
        ({"DEVICE_PORT": "70000"}, "DEVICE_PORT"),
        ({"DEVICE_PORT": "abc"}, "DEVICE_PORT"),
        ({"DEVICE_PRINTER_WIDTH_MM": "76"}, "DEVICE_PRINTER_WIDTH_MM"),
        ({"DEVICE_DRAWER_PIN": "3"}, "DEVICE_DRAWER_PIN"),
        ({"DEVICE_PRINTER_USB_VENDOR": "xyz"}, "DEVICE_PRINTER_USB_VENDOR"),
        ({"DEVICE_PRINTER_CODE_PAGE": "utf8"}, "DEVICE_PRINTER_CODE_PAGE"),
        ({"DEVICE_DRAWER_OPEN_HIGH": "maybe"}, "DEVICE_DRAWER_OPEN_HIGH"),
        ({"DEVICE_MODE": "real", "DEVICE_PRINTER_TRANSPORT": "tcp"}, "DEVICE_PRINTER_HOST"),
        ({"DEVICE_MODE": "real", "DEVICE_PRINTER_TRANSPORT": "serial"}, "DEVICE_PRINTER_PORT"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as info:
        DeviceConfig.from_env(env)
    assert info.value.variable == variable
