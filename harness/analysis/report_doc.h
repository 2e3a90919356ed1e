/*
 * report_doc.h - private to report_doc*.c: the document being written (report.md and
 * report.html side by side), the calls that write both at once (report_doc.c), and the
 * sections (report_doc_machine.c, report_doc_sections.c) that rp_docs_write puts in order.
 */
#ifndef CONTEND_REPORT_DOC_H
#define CONTEND_REPORT_DOC_H

#include <stddef.h>

#include "report.h"

struct rp_doc {
	struct rp_buf md, html;
	const char *dir;
};

/* ---- the two outputs (report_doc.c) ------------------------------------------------- */

void rp_doc_heading(struct rp_doc *d, int level, const char *text);
void rp_doc_para(struct rp_doc *d, const char *text);
void rp_doc_note(struct rp_doc *d, const char *text);
void rp_doc_warn(struct rp_doc *d, const char *text);
void rp_doc_winner(struct rp_doc *d, const char *who, const char *rest, const char *comment);
void rp_doc_table_row(struct rp_doc *d, const char *const *cells, size_t n, int header);
void rp_doc_table_begin(struct rp_doc *d, const char *const *hdr, size_t n);
void rp_doc_table_end(struct rp_doc *d);
/* A chart's plots, one per run (NULL: none for that run), side by side; interactive 0
 * shows the PNG inline in HTML instead of the SVG. -1 with a message. */
int rp_doc_figures(struct rp_doc *d, char *const *files, size_t n, const char *alt, int interactive,
		   char *err, size_t errlen);
/* One PNG, inline in HTML. */
int rp_doc_image(struct rp_doc *d, const char *file, const char *alt, char *err, size_t errlen);

/* ---- the machine (report_doc_machine.c) --------------------------------------------- */

void rp_doc_machine(struct rp_doc *d, const struct rp_report *r);

/* ---- the other sections (report_doc_sections.c) ------------------------------------- */

/* A chart's plots, winner lines and table; *nwinners counts the winner lines. */
int rp_doc_chart_section(struct rp_doc *d, const struct rp_report *r, const struct rp_chart *c,
			 int *nwinners, char *err, size_t errlen);
/* The view section a point belongs to. */
const char *rp_doc_point_section(const struct rp_point *p);
void rp_doc_table_section(struct rp_doc *d, const struct rp_report *r, const char *section);
int rp_doc_c2c_section(struct rp_doc *d, const struct rp_report *r, char *err, size_t errlen);
void rp_doc_other_section(struct rp_doc *d, const struct rp_report *r);
void rp_doc_failed_section(struct rp_doc *d, const struct rp_report *r);

#endif
