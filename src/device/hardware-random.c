/*
 * fillRandom(buffer) for src/device/hardware-random.js: random bytes for the device's
 * secrets (API key, set-up access-point password), generated once, at first boot.
 *
 * ESP32: esp_fill_random() reads the hardware RNG. ESP-IDF documents its output as truly
 * random only while an entropy source runs: the RF subsystem (Wi-Fi, Bluetooth) or the
 * SAR ADC source that bootloader_random_enable() turns on. The firmware generates its
 * secrets at boot, before Wi-Fi starts (the access point needs its password), so this turns
 * that source on around the read; ESP-IDF forbids it while Wi-Fi or the ADC run, which at
 * that point they do not.
 *
 * Moddable's simulator (Linux, macOS): the host's getentropy(); Windows: BCryptGenRandom.
 */
#include "xsmc.h"
#include "xsHost.h"

#if ESP32
	#include "esp_random.h"
	#include "bootloader_random.h"
#elif defined(_WIN32)
	#include <windows.h>
	#include <bcrypt.h>
	#pragma comment(lib, "bcrypt.lib")
#else
	#include <unistd.h>
	#include <sys/random.h>	/* getentropy: glibc 2.25+, macOS 10.12+ */
#endif

void xs_incunest_fill_random(xsMachine *the)
{
	void *data;
	xsUnsignedValue length;

	xsmcGetBufferWritable(xsArg(0), &data, &length);
#if ESP32
	bootloader_random_enable();
	esp_fill_random(data, length);
	bootloader_random_disable();
#elif defined(_WIN32)
	if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, (PUCHAR)data, (ULONG)length, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
		xsUnknownError("BCryptGenRandom failed");
#else
	{
		uint8_t *bytes = data;
		while (length > 0) {
			size_t chunk = (length > 256) ? 256 : length;	/* getentropy's limit per call */
			if (getentropy(bytes, chunk) != 0)
				xsUnknownError("getentropy failed");
			bytes += chunk;
			length -= chunk;
		}
	}
#endif
}
