"""eSpeak NG from the ``espeakng-loader`` wheel, driven through ctypes: the default TTS engine.

Why this engine: the wheel ships libespeak-ng and its voice data for win_amd64
and manylinux alike, and synchronous synthesis (``AUDIO_OUTPUT_SYNCHRONOUS``)
hands the samples to a callback without ever opening an audio device. So the
Windows runner, which has no sound device and no espeak-ng, runs exactly the
code that Linux CI runs on every commit; only the library's file name differs.

The library keeps global state, so one process initialises it once
(:func:`_library`); the TTS stage is its own subprocess.
"""
from __future__ import annotations

import ctypes
import os
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np

from .base import Engine, EngineUnavailable, SpeakerVoice, espeak_voices

AUDIO_OUTPUT_SYNCHRONOUS = 2  # espeak_AUDIO_OUTPUT: synthesise to the callback, no audio device
INITIALIZE_DONT_EXIT = 0x8000  # a fatal error returns instead of calling exit()
EE_OK = 0
POS_CHARACTER = 1
CHARS_UTF8 = 1
PARAM_RATE, PARAM_PITCH = 1, 3

# int callback(short *wav, int numsamples, espeak_EVENT *events): 0 = go on
SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)

_LOCK = threading.RLock()
_LOADED: Dict[Tuple[str, str], "_Library"] = {}  # initialised once per process and library


def native_path(path: str, windows: bool = sys.platform == "win32",
                short_name: Optional[Callable[[str], str]] = None) -> bytes:
    """``path`` as the ``char *`` the library's ``fopen`` expects.

    On Windows that is the ANSI code page, not UTF-8: a venv under a user name
    such as ``José`` or ``Łukasz`` would not be found. A path the code page
    cannot spell is passed as its 8.3 short name, which is always ASCII.
    """
    if not windows:
        return os.fsencode(path)
    try:
        return path.encode("mbcs" if hasattr(ctypes, "windll") else "ascii")
    except UnicodeEncodeError:
        short = (short_name or _short_path_name)(path)
        try:
            return short.encode("ascii")
        except UnicodeEncodeError:
            raise EngineUnavailable(f"the eSpeak NG data path {path!r} has characters the Windows code page "
                                    "cannot spell and no 8.3 short name") from None


def _short_path_name(path: str) -> str:  # pragma: no cover - Windows only; tested through native_path
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    size = kernel32.GetShortPathNameW(path, None, 0)
    buffer = ctypes.create_unicode_buffer(size)
    if not size or not kernel32.GetShortPathNameW(path, buffer, size):
        return path
    return buffer.value


class _Library:
    """libespeak-ng, initialised for synchronous synthesis with the wheel's voice data."""

    def __init__(self, library: str, data: str) -> None:
        try:
            self.lib = ctypes.CDLL(library)
        except OSError as exc:
            # The wheel's espeak-ng.dll imports MSVCP140.dll and VCRUNTIME140(_1).dll, which Python
            # does not ship in full and a bare Windows may lack: name the runtime that brings them.
            hint = (" (it needs MSVCP140.dll: install the Microsoft Visual C++ 2015-2022 Redistributable, x64)"
                    if library.lower().endswith(".dll") else "")
            raise EngineUnavailable(f"cannot load {library}: {exc}{hint}") from exc
        lib = self.lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [SYNTH_CALLBACK]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                     ctypes.c_uint, ctypes.POINTER(ctypes.c_uint), ctypes.c_void_p]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synchronize.restype = ctypes.c_int
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_Info.restype = ctypes.c_char_p
        # The library looks for <path>/espeak-ng-data, so it is given the folder that holds it.
        self.rate = lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, native_path(str(Path(data).parent)),
                                          INITIALIZE_DONT_EXIT)
        if self.rate <= 0:
            raise EngineUnavailable(f"espeak_Initialize failed ({self.rate}) with the voice data in {data}")
        self.version = (lib.espeak_Info(None) or b"?").decode("ascii", "replace")
        self._chunks: List[bytes] = []
        self._callback = SYNTH_CALLBACK(self._collect)  # kept referenced: the library calls it later
        lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav: Any, count: int, events: Any) -> int:
        if count > 0 and wav:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def synthesise(self, text: str, voice: str, pitch: int, wpm: int) -> np.ndarray:
        lib = self.lib
        if lib.espeak_SetVoiceByName(voice.encode("ascii")) != EE_OK:
            raise RuntimeError(f"eSpeak NG has no voice {voice!r}")
        for parameter, value in ((PARAM_RATE, wpm), (PARAM_PITCH, pitch)):
            if lib.espeak_SetParameter(parameter, value, 0) != EE_OK:
                raise RuntimeError(f"eSpeak NG refused parameter {parameter}={value}")
        encoded = text.encode("utf-8") + b"\0"
        self._chunks = []
        status = lib.espeak_Synth(encoded, len(encoded), 0, POS_CHARACTER, 0, CHARS_UTF8, None, None)
        lib.espeak_Synchronize()
        if status != EE_OK:
            raise RuntimeError(f"espeak_Synth failed with status {status}")
        pcm = np.frombuffer(b"".join(self._chunks), dtype="<i2")
        if pcm.size == 0:
            raise RuntimeError(f"eSpeak NG produced no samples for {text!r}")
        return pcm.astype(np.float32) / 32768.0


def _wheel_paths() -> Tuple[str, str]:
    try:
        import espeakng_loader  # the wheel: libespeak-ng + espeak-ng-data for this platform
    except ImportError as exc:
        raise EngineUnavailable("the espeakng-loader wheel is not installed in the harness env "
                                "(pip install espeakng-loader)") from exc
    try:
        return espeakng_loader.get_library_path(), espeakng_loader.get_data_path()
    except RuntimeError as exc:  # its data folder is missing: a broken install
        raise EngineUnavailable(str(exc)) from exc


def _library(library: Optional[str], data: Optional[str]) -> _Library:
    if library is None or data is None:
        wheel_library, wheel_data = _wheel_paths()
        library, data = library or wheel_library, data or wheel_data
    key = (str(Path(library).resolve()), str(Path(data).resolve()))
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = _Library(library, data)
        return _LOADED[key]


class EspeakLibEngine(Engine):
    """eSpeak NG's library in-process: synchronous synthesis to a buffer, a voice and pitch per speaker."""

    name = "espeak-ng-wheel"

    def __init__(self, library: Optional[str] = None, data: Optional[str] = None) -> None:
        self._lib = _library(library, data)

    @property
    def version(self) -> str:
        return self._lib.version

    def voices_for(self, count: int) -> List[SpeakerVoice]:
        return espeak_voices(self.name, count)

    def speak(self, text: str, voice: SpeakerVoice, wpm: int, workdir: Path) -> Tuple[np.ndarray, int]:
        with _LOCK:  # one synthesis at a time: the library's state is global
            return self._lib.synthesise(text, voice.espeak, voice.pitch, wpm), self._lib.rate
