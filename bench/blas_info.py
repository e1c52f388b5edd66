"""Which BLAS a peer loaded and which kernel architecture it runs, read from the live process (shared by the
Python peers of `nnlab bench`)."""
import ctypes
import os


def set_thread_env(threads):
    """BLAS and OpenMP read these once, when they load: call before importing numpy or torch."""
    for var in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
        os.environ[var] = str(threads)


def _loaded_libraries():
    try:
        with open('/proc/self/maps') as maps:
            return sorted({line.split()[-1] for line in maps if '/' in line and '.so' in line})
    except OSError:  # not Linux
        return []


def blas_and_arch():
    """("OpenBLAS 0.3.21", "SkylakeX") for the BLAS this process has loaded; "unknown" where it cannot tell."""
    for path in _loaded_libraries():
        name = os.path.basename(path)
        if 'openblas' in name:
            try:
                lib = ctypes.CDLL(path)
                lib.openblas_get_config.restype = ctypes.c_char_p
                lib.openblas_get_corename.restype = ctypes.c_char_p
                config = lib.openblas_get_config().decode()
                version = config.split()[1] if config.startswith('OpenBLAS') else config
                return 'OpenBLAS {}'.format(version), lib.openblas_get_corename().decode()
            except (OSError, AttributeError, IndexError):
                return 'OpenBLAS ({})'.format(name), 'unknown'
        if 'mkl_rt' in name or 'mkl_core' in name:
            try:
                lib = ctypes.CDLL(path)
                buffer = ctypes.create_string_buffer(256)
                lib.mkl_get_version_string(buffer, 256)
                return buffer.value.decode().strip(), 'MKL dispatch'
            except (OSError, AttributeError):
                return 'MKL ({})'.format(name), 'unknown'
    return 'unknown', 'unknown'
