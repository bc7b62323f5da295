#!/usr/bin/python3
"""The reading-order check of tagcheck.py on its own: a grid page given as
positions, read in the right order and in wrong ones.  Run by tests/pdf.sh;
exit 0 when the checker accepts the right order and refuses each wrong one."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tagcheck  # noqa: E402

# A grid page: a heading, then three rows of label | value; the value's
# first baseline 0.625 pt below the label's (as pia draws them), the third
# label two lines high with its value starting at the top.
PAGE = {
    0: (45.5, 783.75),      # H4
    1: (193.5, 783.75),     # H4, right of it
    2: (45.5, 765.375),     # label 1
    3: (193.5, 764.75),     # value 1
    4: (45.5, 747.0),       # label 2
    5: (193.5, 746.375),    # value 2
    6: (45.5, 728.625),     # label 3 (two lines)
    7: (193.5, 728.0),      # value 3
}


class ReadingOrder(unittest.TestCase):
    def test_visual_order(self):
        self.assertEqual(tagcheck.visual_order(PAGE), list(range(8)))

    def test_right_order(self):
        self.assertIsNone(tagcheck.order_problem(PAGE, list(range(8))))

    def test_ignores_mcids_without_text(self):
        self.assertIsNone(tagcheck.order_problem(PAGE, [0, 1, 9, 2, 3, 4,
                                                        5, 6, 7]))

    def test_value_before_label(self):
        why = tagcheck.order_problem(PAGE, [0, 1, 3, 2, 4, 5, 6, 7])
        self.assertIsNotNone(why)
        self.assertIn('MCID 3', why)

    def test_rows_swapped(self):
        self.assertIsNotNone(
            tagcheck.order_problem(PAGE, [0, 1, 4, 5, 2, 3, 6, 7]))

    def test_column_by_column(self):
        self.assertIsNotNone(
            tagcheck.order_problem(PAGE, [0, 1, 2, 4, 6, 3, 5, 7]))

    def test_missing_mcid(self):
        self.assertIsNotNone(
            tagcheck.order_problem(PAGE, [0, 1, 2, 3, 4, 5, 6]))


if __name__ == '__main__':
    unittest.main()
