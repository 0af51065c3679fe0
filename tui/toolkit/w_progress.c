/* w_progress.c - progress bar and spinner line (widgets.h). */
#include "widgets.h"

#include <stdio.h>
#include <string.h>

void wf_draw_progress(struct wf_app *a, int y, int x, int w, double frac,
		      const char *label)
{
	wf_draw_fill(y, x, w, wf_attr(WF_C_NORMAL));
	if (frac < 0) {
		char buf[512];
		snprintf(buf, sizeof buf, "%s %s", wf_app_spinner(a), label ? label : "");
		wf_draw_text(y, x, w, buf, wf_attr(WF_C_NORMAL));
		return;
	}
	if (frac > 1)
		frac = 1;
	int bar = w / 2 > 40 ? 40 : w / 2;
	int full = (int)(frac * bar + 0.5);
	char buf[1024];
	size_t o = 0;
	const char *b = wf_glyph(WF_G_BLOCK), *s = wf_glyph(WF_G_SHADE);
	for (int i = 0; i < bar && o + 8 < sizeof buf; i++) {
		const char *g = i < full ? b : s;
		memcpy(buf + o, g, strlen(g));
		o += strlen(g);
	}
	buf[o] = '\0';
	wf_draw_text(y, x, bar, buf, wf_attr(WF_C_BAR));
	wf_draw_textf(y, x + bar + 1, w - bar - 1, wf_attr(WF_C_NORMAL), "%3.0f%%  %s",
		      frac * 100, label ? label : "");
}
