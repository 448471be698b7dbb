"""Rules for failures after installing: the model download, ffmpeg, NumPy's ABI, AVX and native libraries."""
from __future__ import annotations

import re
from typing import Tuple

from harness.diagnose import context
from harness.diagnose.rules.base import EXCEPTION, Rule, rx
from harness.diagnose.rules.checks import (
    imported_before_crash,
    media_tool_context,
    model_download_context,
    model_download_failed,
    numpy_crashed,
    spleeter_run,
    tensorflow_around,
)
from harness.diagnose.rules.cues import TORCH_LIBRARY
from harness.diagnose.rules.extract import (
    dll_subject,
    ffmpeg_tool,
    fixed,
    numpy_version,
    path_group,
    site_package,
    wrong_ffmpeg,
)

RUNTIME_RULES: Tuple[Rule, ...] = (
    # model-download-failed
    Rule("spleeter-model-download", "model-download-failed", 90,
         rx(r"Downloading model archive (?P<url>\S+)"), check=model_download_failed,
         also=EXCEPTION, summary="downloading the spleeter model archive failed"),
    Rule("spleeter-httpx-error", "model-download-failed", 90,
         rx(r"httpx[\\/]_transports[\\/]default\.py", r"^httpx\.\w+(?:Error|Timeout)\b"), check=spleeter_run,
         also=EXCEPTION, summary="spleeter's model download failed (its only network use is the model)"),
    Rule("model-missing", "model-download-failed", 90,
         rx(r"model provisioning failed",
             r"Couldn't find trained model at",
             r"Can't load save_path when it is None",
             r"Downloaded file is corrupted"),
         summary="the spleeter model is missing or incomplete"),
    # an application's own model file that was never downloaded (or not where it looks)
    Rule("model-file-missing", "model-download-failed", 47,
         rx(r"Model file not found: (?P<model>[^\s'\"]+)",
            r"(?:FileNotFoundError|OSError|IOError): [^\n]*No such file or directory: '(?P<model>[^'\n]+\.(?:pt|pth|ckpt|"
            r"onnx|safetensors|bin|pb|h5))'"),
         summary="the model file the program needs is not there",
         action="The model file {model} is not where the program looks: download it (the project's README or its "
                "download script names the URL, often on Hugging Face) into the folder the program reads, or rerun "
                "the project's model download step, then start it again."),
    # packages whose data is a separate download step after pip: UniDic's dictionary for MeCab/fugashi, spaCy's
    # pipelines, NLTK's corpora - installed code, data never fetched
    Rule("package-data-not-downloaded", "model-download-failed", 49,
         rx(r"no such file or directory: [^\n]*[\\/](?P<pkg>unidic)[\\/]dicdir[\\/]mecabrc",
            r"Can't find model '(?P<model>[a-z]{2}_core_\w+)'",
            r"Resource (?:\x1b\[93m)?(?P<res>\w+)(?:\x1b\[0m)? not found\.\s*\n\s*Please use the NLTK Downloader"),
         summary="a package's data (dictionary, pipeline or corpus) was installed without its download step"),
    # any library's model download (Hugging Face, a hard-coded URL, a checksum): the file, not the install, failed
    Rule("model-url-failed", "model-download-failed", 48,
         rx(r"(?:HTTP Error |status client error \(|HTTPError: )(?P<status>30[12]|40[134]|5\d\d)\b[^\n]*",
             r"(?:checksum|SHA256|sha256|hash)[^\n]{0,40}(?:does not|doesn't|did not) (?:not )?match",
             r"All model downloads failed",
             # a separator's own downloader (audio-separator, UVR): the model file or its config is not at that URL
             r"Failed to download (?:the )?(?:file|model)[^\n]*? from (?:https?://\S+|\{url\})",
             # insightface's (and similar) downloaders: one line with the URL that did not answer 200
             r"RuntimeError: Failed downloading url (?P<url>https?://\S+)"),
         check=model_download_context, also=EXCEPTION,
         summary="downloading a model file failed (moved or refused URL, or a corrupt download)"),
    # huggingface_hub's size check after a download: the file arrived cut (a flaky, filtering or proxied network)
    Rule("hf-download-cut", "model-download-failed", 90,
         rx(r"Consistency check failed: file should be of size \d+ but has size \d+(?: \((?P<file>[^)\n]*)\))?"),
         blocker=fixed("huggingface.co"), also=EXCEPTION,
         summary="a Hugging Face model file arrived cut short (its size check failed)"),
    # wrong-ffmpeg-package: `pip install ffmpeg` (or python-ffmpeg) instead of ffmpeg-python
    Rule("wrong-ffmpeg-module", "wrong-ffmpeg-package", 89,
         rx(r"module 'ffmpeg' has no attribute '(?P<attr>\w+)'",
            # ffmpeg-python's names (Error, input, probe, ...) imported from the other `ffmpeg` package
            r"cannot import name '(?P<attr>Error|input|output|probe|run|filter|overwrite_output)' from 'ffmpeg'",
            # Python 2's wording, after `import ffmpeg`
            r"import ffmpeg\b[\s\S]{0,600}?'module' object has no attribute '(?P<attr>input|output|probe|run|filter)"),
         blocker=wrong_ffmpeg, summary="the installed `ffmpeg` module is not ffmpeg-python"),
    # another PyPI project under the same import name: `pip install whisper` (graphite's single-file whisper.py) for
    # openai-whisper, `dotenv` for python-dotenv, `jwt` for PyJWT, `serial` for pyserial; the API call names which
    Rule("same-name-package", "wrong-ffmpeg-package", 89,
         rx(r"module '(?P<mod>whisper)' has no attribute '(?P<attr>load_model|transcribe|load_audio|DecodingOptions|"
            r"log_mel_spectrogram|pad_or_trim|available_models|decode)'",
            r"[\\/]site-packages[\\/](?P<mod>whisper)\.py\", line \d+",
            r"cannot import name '(?P<attr>load_dotenv|find_dotenv)' from '(?P<mod>dotenv)'",
            r"module '(?P<mod>dotenv)' has no attribute '(?P<attr>load_dotenv|find_dotenv)'",
            r"module '(?P<mod>jwt)' has no attribute '(?P<attr>encode|decode)'",
            r"module '(?P<mod>serial)' has no attribute '(?P<attr>Serial)'"),
         blocker=lambda text, m: m.group("mod"), summary="the installed `{blocker}` module is another PyPI project of that name"),
    # TorchCodec (torchaudio's and whisperX's decoder) loads FFmpeg's shared libraries of a version it was built for
    # (4-7): FFmpeg 8, a static build, or none at all leaves it nothing to load
    # torchaudio's FFmpeg integration (torchaudio.io, the ffmpeg backend) loads FFmpeg's shared libraries: an ffmpeg
    # program alone (a static build) or a major version it was not built for leaves it nothing to load
    Rule("torchaudio-ffmpeg-libraries", "ffmpeg-missing", 88,
         rx(r"FFmpeg libraries are not found\. Please install FFmpeg",
            r"libtorchaudio_ffmpeg\w*\.(?:so|dylib|pyd|dll)[^\n]*(?:Library not loaded|cannot open shared object file)"),
         blocker=fixed("FFmpeg's shared libraries"), summary="torchaudio finds no FFmpeg shared libraries it can load",
         action="torchaudio's FFmpeg support loads FFmpeg's shared libraries (libavformat, libavcodec ...), of the "
                "major versions it was built for - FFmpeg 4 before torchaudio 2.1, 4 to 6 from 2.1 on - not the ffmpeg "
                "program: install them, e.g. `conda install -c conda-forge \"ffmpeg<5\"` in the environment; on Windows "
                "a shared build (BtbN's or gyan.dev's 'shared' FFmpeg 4 - a 'full_build' is static and has no DLLs) with "
                "its bin folder on PATH. If they are installed and it still fails, the torchaudio build itself looks in "
                "the wrong place (torchaudio 0.13.0's macOS wheels): upgrade torchaudio to a fixed release."),
    Rule("torchcodec-ffmpeg", "wrong-ffmpeg-package", 88,
         rx(r"Could not load libtorchcodec", r"\[start of libtorchcodec loading traceback\]"),
         blocker=fixed("FFmpeg for TorchCodec"), summary="TorchCodec finds no FFmpeg shared libraries of a version it supports",
         action="TorchCodec loads FFmpeg's shared libraries, of a major version it was built for (4 to 7): FFmpeg 8, a "
                "static-only build or none at all leaves it nothing to load. Install FFmpeg 7 as shared libraries - on "
                "Windows a 'full-shared' build (gyan.dev / BtbN) with its bin folder on PATH, or `conda install -c "
                "conda-forge \"ffmpeg<8\"` - or a TorchCodec release whose table lists your FFmpeg."),
    # numpy-abi
    Rule("numpy2-abi", "numpy-abi", 87,
         rx(r"compiled using NumPy 1\.x cannot be run(?: in\s+NumPy (?P<v>[\d.]+))?",
             r"_ARRAY_API not found",
             r"No module named '?numpy\._core(?:\.\w+)?'?",
             r"numpy\.(?:core|_core)\.(?:multiarray|_multiarray_umath) failed to import",
             r"numpy\.(?:dtype|ndarray|ufunc) size changed, may indicate binary incompatibility",
             r"numpy\.dtype has the wrong size, try recompiling",  # the same, in numpy before 1.12
             r"`np\.\w+` was removed in the NumPy 2\.0 release",
             # the aliases NumPy 2.0 removed (np.NaN, np.NAN, np.Inf, np.float_ ...), where NumPy's own hint is missing
             r"module 'numpy' has no attribute '(?P<alias>NaN|NAN|Inf|PINF|NINF|infty|float_|complex_|string_|unicode_|"
             r"Infinity|cfloat|longfloat|singlecomplex|product|cumproduct|sometrue|alltrue|in1d|row_stack|trapz)'",
             r"module compiled against (?:ABI|API) version (?P<built>(?:0x)?[0-9a-f]+) but this version of numpy is "
             r"(?P<have>(?:0x)?[0-9a-f]+)"),
         blocker=numpy_version, summary="a module built against another NumPy cannot load with {blocker}"),
    # TensorFlow 1.13's bfloat16 type derives from numpy's, as laid out in the numpy it was built with (1.16)
    # a Cython extension whose pickling support is missing: it was built against another numpy (or Cython) than
    # the one installed
    Rule("cython-reduce-missing", "numpy-abi", 85,
         rx(r"type object '(?P<mod>[\w.]+)' has no attribute '__reduce_cython__'"),
         blocker=lambda text, m: m.group("mod").lstrip("_").split(".")[0],
         summary="{blocker}'s compiled extension was built against another numpy than the one installed",
         action="{blocker}'s Cython extension was built against another numpy (or Cython) than the one installed: "
                "upgrade numpy (`python -m pip install --upgrade numpy`), then reinstall {blocker} so it matches "
                "(`python -m pip install --force-reinstall --no-cache-dir {blocker}`)."),
    Rule("tensorflow-bfloat16-numpy", "numpy-abi", 86,
         rx(r"PyBfloat16_Type\.tp_base != nullptr"),
         blocker=fixed("numpy"), summary="TensorFlow was built against a newer numpy than the one installed",
         action="TensorFlow's wheel was built against a newer numpy than the one installed (its bfloat16 type cannot "
                "find numpy's base type; TensorFlow 1.13 needs numpy>=1.16 although it declares less): upgrade numpy "
                "(`python -m pip install --upgrade \"numpy>=1.16\"`) in the same Python."),
    Rule("numpy-not-available", "numpy-abi", 86,
         rx(r"RuntimeError: Numpy is not available", r"Failed to initialize NumPy: (?!No module named)"),
         check=lambda text, m: not re.search(r"No module named '?numpy'?", text),
         blocker=numpy_version, summary="torch cannot use the installed NumPy (built against another NumPy)"),
    # cpu-without-avx
    Rule("cpu-without-avx", "cpu-without-avx", 86,
         rx(r"compiled to use (?P<isa>AVX\w*|SSE[\d.]+) instructions, but these aren.t available",
             r"DLL load failed[^\n]*initialization routine failed",
             r"A dynamic link library \(DLL\) initialization routine failed",
             r"exit code -1073741795"),
         # a DLL whose initialisation fails is TensorFlow's AVX check only where TensorFlow is; elsewhere it is
         # usually a runtime (MSVC) older than the one the DLL was built with
         check=lambda text, m: "initialization routine" not in m.group(0) or tensorflow_around(text, m),
         blocker=fixed("tensorflow"), summary="this CPU lacks the AVX instructions TensorFlow's wheels need"),
    # a library's own check of the CPU features its wheels need (polars), or a crash of its import on such a CPU
    Rule("package-cpu-check", "cpu-without-avx", 87,
         rx(r"RuntimeWarning: Missing required CPU features", r"required CPU features were not detected",
            r"Install the `(?P<compat>[\w-]+)` package instead of `(?P<pkg>[\w-]+)` to run"),
         blocker=lambda text, m: "polars" if "polars" in text else None,
         summary="this CPU lacks the instructions the package's wheels are built for"),
    Rule("polars-illegal-instruction", "cpu-without-avx", 86,
         rx(r"Illegal instruction", r"illegal hardware instruction"),
         check=lambda text, m: bool(re.search(r"\bimport polars\b|pip install[^\n]*\bpolars\b", text)),
         blocker=fixed("polars"), summary="polars used a CPU instruction (AVX2) this CPU lacks"),
    # NumPy's own check of the CPU baseline its wheels were built for (x86-64-v2 from NumPy 2.4 on)
    Rule("numpy-cpu-baseline", "cpu-without-avx", 87,
         rx(r"NumPy was built with baseline optimizations:\s*\(?(?P<isa>[^)\n]*?)\)?\s*but your machine doesn.t support"),
         blocker=numpy_version, summary="this CPU lacks the instructions NumPy's wheels are built for ({blocker})"),
    # a torch companion (torchaudio, torchvision) built for another torch: a torch library or C++ symbol it needs
    # is not there (macOS's dlopen words; Linux's "undefined symbol" is extension-undefined-symbol's)
    Rule("torch-library-mismatch", "dll-load-failed", 70,
         rx(r"Symbol not found:? _{1,2}Z\w*?N\d+(?:at|c10|torch)\d",
            rf"\b{TORCH_LIBRARY}[^\n]*?(?:: cannot open shared object file|image not found|no such file)"),
         check=lambda text, m: context.read_platform(text) != "windows",
         blocker=lambda text, m: next((n for n in ("torchaudio", "torchvision", "torchtext") if n in text), "torch"),
         summary="{blocker} was built for another torch release than the installed one"),
    # Windows could not commit memory to map a DLL (torch's CUDA/cuDNN DLLs are gigabytes, mapped again in every
    # DataLoader worker): the paging file is too small - the code, in any language, and its English words
    Rule("windows-paging-file", "other", 87,
         rx(r"\[WinError 1455\]", r"The paging file is too small for this operation to complete"),
         blocker=lambda text, m: site_package(text, m), summary="Windows ran out of virtual memory (the paging file is too small)",
         action="Windows ran out of virtual memory while loading a DLL (WinError 1455: the paging file is too small) - "
                "torch's CUDA/cuDNN DLLs are large and every DataLoader worker process maps them again: increase the "
                "paging file (System > Advanced system settings > Performance > Advanced > Virtual memory: system "
                "managed, or a larger custom size, on a drive with free space; then reboot), or start fewer worker "
                "processes (`workers=0`/`num_workers=0`, or a smaller number) and a smaller batch."),
    # WeasyPrint (doctr, PDF tools) draws with Pango, which no wheel brings: its own message says so
    Rule("weasyprint-pango-missing", "dll-load-failed", 86,
         rx(r"WeasyPrint could not import some external libraries",
            r"cannot load library '(?P<lib>(?:lib)?(?:pango|pangoft2|gobject|harfbuzz|fontconfig)[\w.-]*)'"),
         blocker=fixed("weasyprint"), summary="WeasyPrint's system libraries (Pango) are not installed",
         action="WeasyPrint draws with Pango, a system library no wheel brings, and it is not installed (or not found): "
                "on Debian/Ubuntu `sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0`, on "
                "macOS `brew install pango`, on Windows MSYS2's `pacman -S mingw-w64-x86_64-pango` with "
                "WEASYPRINT_DLL_DIRECTORIES pointing at its bin folder; then re-run (`python -m weasyprint --info`)."),
    # xformers checks at import which torch its C++/CUDA extensions were built for, and says both releases
    Rule("xformers-other-torch", "dll-load-failed", 71,
         rx(r"xFormers was built for:\s*\n\s*PyTorch (?P<built>[\w.+]+)[^\n]*\(you have (?P<have>[\w.+]+)\)"),
         blocker=fixed("xformers"), summary="xformers was built for another torch release than the installed one",
         action="This xformers was built for torch {built}, and torch {have} is installed, so its C++/CUDA extensions do "
                "not load: reinstall xformers in the release built for torch {have} (each xformers wheel requires one "
                "exact torch: `pip install --force-reinstall --no-deps \"xformers==X\"` with the X whose requirement is "
                "torch=={have}, from torch's index for your CUDA, e.g. `--index-url https://download.pytorch.org/whl/"
                "cu121`), or go back to torch {built}, the release this xformers was made for."),
    # an illegal instruction in NumPy itself or its bundled OpenBLAS (`import numpy` just before it)
    Rule("numpy-illegal-instruction", "cpu-without-avx", 85,
         rx(r"Illegal instruction", r"illegal hardware instruction", r"\bSIGILL\b"), check=numpy_crashed,
         blocker=numpy_version, summary="NumPy (or its bundled OpenBLAS) used a CPU instruction this CPU lacks"),
    Rule("illegal-instruction", "cpu-without-avx", 86,
         rx(r"Illegal instruction", r"illegal hardware instruction"), check=tensorflow_around,
         blocker=fixed("tensorflow"), summary="TensorFlow used a CPU instruction (AVX) this CPU lacks"),
    # the crash right after importing one named package (`python -c "import dlib"`, `>>> import X`): that package's
    # prebuilt code (dlib's wheels and conda builds use AVX) - TensorFlow and NumPy have their own rules above
    Rule("illegal-instruction-import", "cpu-without-avx", 84,
         rx(r"Illegal instruction", r"illegal hardware instruction"),
         check=lambda text, m: imported_before_crash(text, m) is not None and not tensorflow_around(text, m),
         blocker=lambda text, m: imported_before_crash(text, m),
         summary="{blocker}'s prebuilt code used a CPU instruction (AVX/AVX2) this CPU lacks"),
    # any program built for a newer CPU (whisper.cpp's AVX2 builds, llama.cpp, ...): Windows' NTSTATUS for it
    Rule("illegal-instruction-any", "cpu-without-avx", 40,
         rx(r"STATUS_ILLEGAL_INSTRUCTION", r"\b0xC000001D\b", r"exit code:? (?:-1073741795|3221225501)\b",
            r"Illegal instruction \(core dumped\)"),
         blocker=fixed(None), summary="the program used a CPU instruction (AVX/AVX2) this CPU lacks"),
    # the debug MSVC runtime (VCRUNTIME140D, ucrtbased) exists only where Visual Studio is: a binary linked to it
    # is a packaging bug of that build, not something the user lacks
    Rule("debug-vc-runtime", "dll-load-failed", 88,
         rx(r"\b(?P<dll>(?:VCRUNTIME140_?1?D|MSVCP140D|ucrtbased|MSVCR\d+D)\.dll)\b"),
         blocker=path_group("dll"), summary="a binary here is linked to the debug MSVC runtime ({blocker})",
         action="{blocker} is Visual C++'s debug runtime, which only Visual Studio installs: a binary here (the package "
                "or one of its dependencies) was built in debug mode by mistake - a packaging bug, not something to "
                "install. Install another build or version of the package (`conda install PACKAGE=OLDER_VERSION`, or "
                "a static build such as gyan.dev's ffmpeg), update once a fixed build is out, and report it to the "
                "package's maintainers."),
    # HDF5's own check: h5py (or PyTables, netCDF4) compiled against other HDF5 headers than the library it loads -
    # a pip wheel next to conda's hdf5, or a source build against a system HDF5 that later moved
    Rule("hdf5-version-mismatch", "dll-load-failed", 86,
         rx(r"HDF5 library version mismatched error",
            r"The HDF5 header files used to compile this application do not match"),
         blocker=fixed("h5py"), summary="h5py was built against another HDF5 than the library it loads",
         action="h5py (or PyTables/netCDF4, whichever the program imports) was compiled against another HDF5 version "
                "than the libhdf5 it loads - usually a pip wheel beside conda's hdf5, or a build against a system HDF5 "
                "that was upgraded since: reinstall it from one source, `python -m pip install --force-reinstall "
                "--no-cache-dir h5py` (the wheel carries its own HDF5) or in a conda env `conda install -c conda-forge "
                "h5py hdf5` (never both), and make sure LD_LIBRARY_PATH/PATH does not point at another HDF5."),
    # conda's Python keeps OpenSSL, sqlite, libffi ... in Library\bin, on PATH only in an activated environment
    Rule("conda-stdlib-dll-not-activated", "dll-load-failed", 88,
         rx(r"DLL load failed(?: while importing (?P<mod>_ssl|_hashlib|_sqlite3|_ctypes|_lzma|_bz2|pyexpat|_elementtree"
            r"|_tkinter|_uuid|_decimal))?[^\n]*"),
         requires=rx(r"[\\/](?:ana|mini|miniforge|mamba)(?:conda|forge)3?[\\/]"),
         check=lambda text, m: bool(m.group("mod")),
         blocker=lambda text, m: m.group("mod"), summary="conda's Python cannot load {blocker}'s DLL: the env is not activated",
         action="conda's Python keeps the libraries of {blocker} (OpenSSL's libssl/libcrypto for _ssl) in the "
                "environment's Library\\bin, which is on PATH only once the environment is activated: run from the "
                "Anaconda Prompt or after `conda activate ENV` (an IDE: select the conda env so it activates it), or "
                "reinstall them there (`conda install -n ENV --force-reinstall openssl python`)."),
    # soundfile's own copy of libsndfile (in _soundfile_data) does not load: an old soundfile whose bundled library
    # is for another architecture (no arm64 build before 0.11), or a half-installed one
    Rule("soundfile-bundled-library", "dll-load-failed", 88,
         rx(r"cannot load library '[^'\n]*_soundfile_data[\\/](?P<lib>libsndfile[^'\\/\n]*)'"),
         blocker=fixed("soundfile"), summary="soundfile's bundled libsndfile does not load",
         action="soundfile's own copy of libsndfile ({lib}) does not load: an old soundfile bundles no library for this "
                "machine (arm64 Macs got one in 0.11), or the install is half done. Reinstall a current soundfile from its "
                "wheel (`python -m pip install --upgrade --force-reinstall soundfile`); in a conda env `conda install -c "
                "conda-forge libsndfile pysoundfile` instead."),
    # ctranslate2 (faster-whisper) 4.x is built for CUDA 12: without CUDA 12's cuBLAS/cuDNN its GPU path cannot load
    Rule("ctranslate2-cuda-runtime", "dll-load-failed", 87,
         rx(r"Library (?P<lib>(?:cublas|cudnn)\w*\.dll|lib(?:cublas|cudnn)\w*\.so(?:\.\d+)*) is not found or cannot be loaded"),
         blocker=path_group("lib"), summary="ctranslate2's GPU build cannot load {blocker}",
         action="ctranslate2 (under faster-whisper) cannot load {blocker}: its 4.x releases are built for CUDA 12 and "
                "cuDNN 8/9, which this machine (CUDA 11 here, or none) does not have. Install those libraries (`python "
                "-m pip install nvidia-cublas-cu12 nvidia-cudnn-cu12`, their bin folders on PATH / LD_LIBRARY_PATH), "
                "or use the CUDA 11 builds (`python -m pip install ctranslate2==3.24.0`, with faster-whisper 0.10.1), "
                "or run on the CPU (device=\"cpu\")."),
    # Anaconda's MKL DLLs live in Library\bin, which is on PATH only in an activated conda prompt
    Rule("mkl-dll-not-loaded", "dll-load-failed", 87,
         rx(r"Intel MKL FATAL ERROR: Cannot load (?P<dll>mkl_\w+\.dll|libmkl_\w+\.so(?:\.\d+)?)"),
         blocker=path_group("dll"), summary="numpy's MKL library {blocker} is not on the library path",
         action="numpy's MKL library ({blocker}) is not found: conda keeps it in the environment's Library\\bin, which is "
                "on PATH only once the environment is activated. Start Python from the Anaconda Prompt or after "
                "`conda activate ENV` (an IDE: select the conda env so it activates it), or reinstall the libraries "
                "(`conda install -n ENV --force-reinstall mkl numpy`)."),
    # spleeter restores its model from pretrained_models/<model>: no checkpoint there (an interrupted download, a
    # folder left empty) gives TensorFlow's saver no path
    Rule("spleeter-no-checkpoint", "model-download-failed", 84,
         rx(r"spleeter[\\/]separator\.py\", line \d+, in _get_session\s*\n\s*saver\.restore\(self\._session, latest_checkpoint\)"),
         blocker=fixed("spleeter model"), summary="spleeter found no model checkpoint to restore",
         action="spleeter found no checkpoint in its model folder (pretrained_models\\2stems, or the model you asked "
                "for): the download was interrupted or the folder is empty. Delete that folder and run again so it "
                "downloads the model afresh (or download 2stems.tar.gz from spleeter's GitHub releases and extract it "
                "there; MODEL_PATH points spleeter at another folder)."),
    # ffmpeg-missing
    # spleeter's audio adapter runs ffprobe/ffmpeg on the file: Windows' "cannot find the file" right after
    # "Loading audio" is that program missing, not the audio file
    Rule("spleeter-load-winerror2", "ffmpeg-missing", 88,
         rx(r"Loading audio [^\n]*\n(?:[^\n]*\n){0,4}?[^\n]*\[WinError 2\] The system cannot find the file specified"),
         blocker=fixed("ffprobe"), summary="spleeter could not start ffprobe/ffmpeg to load the audio"),
    # whisper's transcribe() starts ffmpeg to decode the audio: a WinError 2 / FileNotFoundError in it (any language)
    Rule("whisper-transcribe-no-ffmpeg", "ffmpeg-missing", 87,
         rx(r"whisper[\\/]transcribe\.py\", line \d+, in transcribe[\s\S]{0,2000}?\[WinError 2\]",
            r"\[WinError 2\][\s\S]{0,3000}?whisper[\\/]transcribe\.py\", line \d+, in transcribe"),
         blocker=fixed("ffmpeg"), summary="whisper could not start ffmpeg to decode the audio"),
    # imageio before 2.5 fetches its own ffmpeg binary at run time (moviepy 1.x through it): the download, not
    # the network in general, is what fails - and a wheel that carries the binary avoids it
    Rule("imageio-ffmpeg-download", "network-or-index", 92,
         rx(r"Imageio: '(?P<exe>ffmpeg[\w.-]*)' was not found on your computer; downloading it now",
            r"Unable to download '(?P<exe2>ffmpeg[\w.-]*)'"),
         blocker=fixed("ffmpeg"), summary="imageio's run-time download of its ffmpeg binary failed",
         action="Old imageio releases (before 2.5; moviepy 1.x calls them) download their own ffmpeg binary at run "
                "time, and that download failed: skip it - upgrade imageio and install imageio-ffmpeg, whose wheel "
                "carries the binary (`pip install --upgrade imageio imageio-ffmpeg`), or point IMAGEIO_FFMPEG_EXE "
                "(moviepy: FFMPEG_BINARY) at an ffmpeg you already have."),
    Rule("ffmpeg-not-found", "ffmpeg-missing", 88,
         rx(r"ff(?:mpeg|probe) binary not found",
             r"FFMPEG binary \(ffmpeg\) not found",
             r"FfmpegMissing",
             r"ffmpeg not found on PATH",
             r"ffmpeg was not found, but is required to load audio",  # transformers' audio pipelines
             r"Cannot find installation of real FFmpeg",  # scikit-video
             r"NeedDownloadError: Need ffmpeg exe",  # old imageio (moviepy 1.x) found none and may not fetch one
             r"got the following error: FFmpeg is not installed",  # demucs, trying each audio loader in turn
             r"`?ffprobe`? not found\. Please install `?ffmpeg`?",
             r"^(?:RuntimeError|OSError|FileNotFoundError|\w+Error): ffmpeg (?:was )?not found\b",
             r"Couldn't find (?:ffmpeg or avconv|ffprobe or avprobe)",
             r"^(?:audioread\.(?:exceptions\.)?)?NoBackendError\b",
             r"No such file or directory:\s*['\"]?\s*(?:ffprobe|ffmpeg)(?:\.exe)?['\"]",
             r"'(?:ffmpeg|ffprobe)' is not recognized\s+as an internal or external command",
             r"(?:^|\s)(?:ffmpeg|ffprobe): (?:command )?not found",
             r"\[harness\] could not start: [^\n]*ff(?:mpeg|probe)",
             r"ffmpeg[\\/]_probe\.py\", line \d+, in probe\s*\n\s*p = subprocess\.Popen"),
         blocker=ffmpeg_tool, summary="{blocker} is not installed or not on PATH"),
    # media libraries start the ffmpeg executable: a "file not found" from that call is ffmpeg missing from PATH
    Rule("media-tool-not-found", "ffmpeg-missing", 51,
         rx(r"^\s*(?:FileNotFoundError: )?\[WinError 2\][^\n]*", r"^FileNotFoundError\b[^\n]*"),
         check=media_tool_context, blocker=fixed("ffmpeg"),
         summary="a media library could not start ffmpeg (not installed or not on PATH)"),
    # a program that is not there, started with an ffmpeg command line (ffmpeg-python's run/get_args,
    # subprocess with ['ffmpeg', ...]): the FileNotFoundError is about ffmpeg itself, not the input file
    Rule("ffmpeg-command-not-found", "ffmpeg-missing", 53,
         rx(r"^\s*FileNotFoundError\b"),
         requires=rx(r"\[\s*'ff(?:mpeg|probe)(?:\.exe)?'\s*,|ffmpeg[\\/]_run\.py|"
                     r"'-i',\s*'[^'\n]+',\s*(?:[^\n]*,\s*)?'-(?:filter_complex|map|acodec|vcodec|c:[av]|ar|ac|f|vf|af)'"),
         blocker=fixed("ffmpeg"), summary="the ffmpeg program it starts is not installed or not on PATH"),
    Rule("spleeter-winerror2", "ffmpeg-missing", 52,
         rx(r"(?:FileNotFoundError: |WARNING:spleeter:)\[WinError 2\]"), check=spleeter_run,
         blocker=fixed("ffprobe"), summary="spleeter could not start ffprobe (WinError 2: not on PATH)"),
    Rule("spleeter-ffprobe-error", "ffmpeg-missing", 55,
         rx(r"ffprobe error \(see stderr output for detail\)", r"An error occurs with ffprobe"),
         blocker=fixed("ffprobe"), summary="ffprobe failed: missing ffmpeg or an unreadable input",
         action="ffprobe failed on the input: check that ffmpeg is installed and its bin folder is on PATH "
                "(`ffprobe -version` in a new terminal; the ffmpeg-python package alone is not ffmpeg), and that "
                "the input file exists and is audio."),
    # dll-load-failed
    Rule("llvmlite-library", "dll-load-failed", 85,
         rx(r"Could not (?:find/)?load shared object file:? ?(?:(?:lib)?llvmlite\.(?:dll|so|dylib))?",
             r"Could not find module '[^'\n]*llvmlite\.dll'"),
         check=lambda text, m: "llvmlite" in text.lower(), blocker=fixed("llvmlite"),
         summary="llvmlite's native library could not be loaded (a broken or mismatched llvmlite install)"),
    Rule("conda-env-not-activated", "dll-load-failed", 86,
         rx(r"This Python interpreter is in a conda environment, but the environment has\s+not been activated"),
         requires=rx(r"DLL load failed|ImportError|OSError|cannot load library"),
         summary="a conda environment's Python started without activating it, so its DLLs are not on PATH",
         action="This conda environment's python.exe was started without activating the environment, so its "
                "Library\\bin (the MKL and other DLLs) is not on PATH: activate it first (`conda activate ENV`, or "
                "open the Anaconda Prompt), or in an IDE pick the conda environment itself rather than its python.exe; "
                "`conda init` once makes activation work in PowerShell and cmd."),
    # the C++ (or C) runtime of the system is older than the one a binary was built with
    Rule("glibc-runtime-too-old", "dll-load-failed", 86,
         rx(r"(?P<lib>(?:[^\s:'`\"]*/)?(?:libstdc\+\+\.so\.6|libc\.so\.6|libm\.so\.6|libgcc_s\.so\.1))[^\n]*?: "
            r"version [`'](?P<symbol>(?:GLIBCXX|"
            r"CXXABI|GLIBC|GCC)_[\d.]+)' not found(?: \(required by (?P<by>[^)\n]+)\))?"),
         blocker=lambda text, m: m.group("symbol"),
         summary="the system's {blocker} runtime is older than the one a compiled package was built with"),
    Rule("dll-load-failed", "dll-load-failed", 85,
         rx(r"DLL load failed",
             r"Could not find the DLL\(s\) '(?P<dll>[\w.]+)",
             r"Could not find '(?P<dll>msvcp\d+(?:_\d)?\.dll)'",
             r"self_check\.py\",?\s*line \d+, in preload_check",
             r"Failed to load the native TensorFlow runtime",
             r"\[WinError 126\]",
             r"\[WinError 193\] %1 is not a valid Win32 application",
             r"(?:ImportError|OSError|NotFoundError): (?P<lib>[\w.+-]+\.so(?:\.\d+)*): cannot open shared object file",
             # a program's own loader (ffmpeg, sox ...): the same missing library, outside Python
             r"^[\w.+-]+: error while loading shared libraries: (?P<lib4>[\w.+-]+\.so(?:\.\d+)*): cannot open shared",
             # numpy's own words when its C extensions do not load (a conda env not activated, a broken install)
             r"Importing the numpy C-extensions failed",
             # ctranslate2 (faster-whisper, whisperX) and cuDNN's own loader naming the library it looked for
             r"Unable to load any of \{(?P<lib5>libcudnn\w*\.so[\w.]*)",
             r"Could not (?:locate|load library) (?P<dll>cudnn\w*64_\d+\.dll)",
             r"OSError: (?:sndfile library not found|cannot load library '(?P<lib2>libsndfile[\w.]*)')",
             r"OSError: PortAudio library not found",
             # cffi's dlopen on Windows: the DLL is there but one it depends on is not (0x7e: module not found)
             r"OSError: cannot load library '(?:[^'\n]*[\\/])?(?P<lib3>[^'\\/\n]+\.dll)': error 0x[0-9a-f]+",
             r"mach-o, but wrong architecture|wrong ELF class: ELFCLASS\d+",
             # macOS's loader: a library the extension links is not where its install name points
             r"Library not loaded: (?:@rpath/|@loader_path/|/[^\n]*/)?(?P<lib6>lib[\w.+-]+\.dylib)",
             r"DNN library is not found", r"Could not load library (?P<lib>cudnn\w*)",
             r"Loaded runtime CuDNN library: [\d.]+ but source was compiled with",
             r"cuda_driver\.cc:\d+\] Check failed: CUDA_SUCCESS", r"failed call to cuInit: CUDA_ERROR_\w+"),
         blocker=dll_subject, summary="a native library of {blocker} could not be loaded"),
)
