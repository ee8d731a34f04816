// SPDX-License-Identifier: GPL-2.0
/*
 * igb_uio.c - UIO driver for PCI NICs driven by DPDK poll-mode drivers.
 *
 * Like uio_pci_generic, with what DPDK's EAL expects of a driver named
 * "igb_uio": MSI-X or MSI when the device has them (uio_pci_generic needs
 * INTx masking, which many VFs lack), interrupts switched on and off by
 * writing 1 or 0 to /dev/uioX, bus mastering only while /dev/uioX is open,
 * and a max_vfs attribute to create SR-IOV virtual functions.
 *
 * There is no id table: devices are bound through driver_override or
 * new_id, as dpdk-devbind.py does.  The EAL recognises the driver by its
 * name only, so "igb_uio" must not change.
 *
 * The application drives the device's DMA itself, with nothing in the way
 * (no IOMMU protection): only root may use /dev/uioX and the BARs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/msi.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/uio_driver.h>

#define IGBUIO_NAME	"igb_uio"

enum igbuio_intr_mode {
	IGBUIO_INTR_MSIX,
	IGBUIO_INTR_MSI,
	IGBUIO_INTR_LEGACY,
	IGBUIO_INTR_NONE,
};

static const char * const igbuio_intr_mode_names[] = {
	[IGBUIO_INTR_MSIX]	= "msix",
	[IGBUIO_INTR_MSI]	= "msi",
	[IGBUIO_INTR_LEGACY]	= "legacy",
	[IGBUIO_INTR_NONE]	= "none",
};

struct igbuio_dev {
	struct uio_info		info;
	struct pci_dev		*pdev;
	/*
	 * Serialises open, release and irqcontrol (which the UIO core calls
	 * with its own info_lock held, so that lock nests outside this one)
	 * with remove(), which quiesces the device before it unregisters.
	 */
	struct mutex		lock;
	enum igbuio_intr_mode	mode;		/* in use while users > 0 */
	unsigned int		irq;
	unsigned int		users;		/* open files */
	bool			removed;	/* quiesced for good */
};

/* The first mode tried; the others follow in enum order (msix, msi, legacy). */
static enum igbuio_intr_mode igbuio_intr_mode = IGBUIO_INTR_MSIX;

static int igbuio_intr_mode_set(const char *val, const struct kernel_param *kp)
{
	int i;

	i = sysfs_match_string(igbuio_intr_mode_names, val);
	if (i < 0 || i == IGBUIO_INTR_NONE) {
		pr_err("intr_mode must be msix, msi or legacy, not '%s'\n", val);
		return -EINVAL;
	}
	igbuio_intr_mode = i;
	return 0;
}

static int igbuio_intr_mode_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%s\n", igbuio_intr_mode_names[igbuio_intr_mode]);
}

static const struct kernel_param_ops igbuio_intr_mode_ops = {
	.set	= igbuio_intr_mode_set,
	.get	= igbuio_intr_mode_get,
};
module_param_cb(intr_mode, &igbuio_intr_mode_ops, NULL, 0444);
MODULE_PARM_DESC(intr_mode,
		 "Interrupt mode tried first: msix (default), msi or legacy; the ones after it are the fallbacks, in that order");

/*
 * A kernel mapping of a BAR fixes its memory type to uncached, and a
 * later write-combining mapping of sysfs resourceN_wc by the application
 * would then conflict with it.  The driver itself never touches the BARs.
 */
static int igbuio_wc_activate;
module_param_named(wc_activate, igbuio_wc_activate, int, 0444);
MODULE_PARM_DESC(wc_activate,
		 "1: do not map the BARs in the kernel, so that applications can map them write-combining (default 0)");

static irqreturn_t igbuio_intx_handler(int irq, void *data)
{
	struct igbuio_dev *udev = data;

	/* The line may be shared: only our device's pending INTx is ours. */
	if (!pci_check_and_mask_intx(udev->pdev))
		return IRQ_NONE;
	uio_event_notify(&udev->info);
	return IRQ_HANDLED;
}

static irqreturn_t igbuio_msi_handler(int irq, void *data)
{
	struct igbuio_dev *udev = data;

	uio_event_notify(&udev->info);
	return IRQ_HANDLED;
}

/* Try one mode; 0 and udev->irq set on success. */
static int igbuio_irq_try(struct igbuio_dev *udev, enum igbuio_intr_mode mode)
{
	struct pci_dev *pdev = udev->pdev;
	unsigned int flags;
	int err;

	switch (mode) {
	case IGBUIO_INTR_MSIX:
	case IGBUIO_INTR_MSI:
		flags = mode == IGBUIO_INTR_MSIX ? PCI_IRQ_MSIX : PCI_IRQ_MSI;
		err = pci_alloc_irq_vectors(pdev, 1, 1, flags);
		if (err < 0)
			return err;
		udev->irq = pci_irq_vector(pdev, 0);
		err = request_irq(udev->irq, igbuio_msi_handler, 0,
				  IGBUIO_NAME, udev);
		if (err)
			pci_free_irq_vectors(pdev);
		return err;
	case IGBUIO_INTR_LEGACY:
		/* Without INTx masking a level interrupt could not be quietened. */
		if (!pdev->irq || pdev->irq == IRQ_NOTCONNECTED ||
		    !pci_intx_mask_supported(pdev))
			return -ENODEV;
		udev->irq = pdev->irq;
		err = request_irq(udev->irq, igbuio_intx_handler, IRQF_SHARED,
				  IGBUIO_NAME, udev);
		if (!err)
			pci_intx(pdev, 1);
		return err;
	default:
		return -EINVAL;
	}
}

/*
 * The first mode that works, from intr_mode on.  A device without any
 * usable interrupt is still usable by polling: read() and write() on
 * /dev/uioX then fail with EIO, which the EAL understands.
 */
static void igbuio_irq_setup(struct igbuio_dev *udev)
{
	enum igbuio_intr_mode mode;

	for (mode = igbuio_intr_mode; mode < IGBUIO_INTR_NONE; mode++)
		if (!igbuio_irq_try(udev, mode))
			break;
	udev->mode = mode;
	/* Our handler, not the UIO core's, owns the interrupt. */
	udev->info.irq = mode == IGBUIO_INTR_NONE ? UIO_IRQ_NONE : UIO_IRQ_CUSTOM;
	dev_info(&udev->pdev->dev, "interrupt mode %s\n",
		 igbuio_intr_mode_names[mode]);
}

static void igbuio_irq_teardown(struct igbuio_dev *udev)
{
	struct pci_dev *pdev = udev->pdev;

	switch (udev->mode) {
	case IGBUIO_INTR_MSIX:
	case IGBUIO_INTR_MSI:
		free_irq(udev->irq, udev);
		pci_free_irq_vectors(pdev);
		break;
	case IGBUIO_INTR_LEGACY:
		/* Leave no asserted line behind without a handler. */
		pci_intx(pdev, 0);
		free_irq(udev->irq, udev);
		break;
	case IGBUIO_INTR_NONE:
		break;
	}
	udev->mode = IGBUIO_INTR_NONE;
	udev->info.irq = UIO_IRQ_NONE;
}

/* write(2) of a 32-bit 1 or 0 to /dev/uioX: the EAL's interrupt enable. */
static int igbuio_irqcontrol(struct uio_info *info, s32 irq_on)
{
	struct igbuio_dev *udev = container_of(info, struct igbuio_dev, info);
	struct pci_dev *pdev = udev->pdev;

	mutex_lock(&udev->lock);
	if (udev->removed) {
		mutex_unlock(&udev->lock);
		return -ENODEV;
	}
	/* Keep config space writes from userspace out of our read-modify-write. */
	pci_cfg_access_lock(pdev);
	switch (udev->mode) {
	case IGBUIO_INTR_MSIX:
	case IGBUIO_INTR_MSI:
		if (irq_on)
			pci_msi_unmask_irq(irq_get_irq_data(udev->irq));
		else
			pci_msi_mask_irq(irq_get_irq_data(udev->irq));
		break;
	case IGBUIO_INTR_LEGACY:
		pci_intx(pdev, !!irq_on);
		break;
	case IGBUIO_INTR_NONE:
		break;
	}
	pci_cfg_access_unlock(pdev);
	mutex_unlock(&udev->lock);
	return 0;
}

/*
 * The device may do DMA only while an application has it open; the
 * interrupt is set up for the same span, so that a closed device has none.
 */
static int igbuio_open(struct uio_info *info, struct inode *inode)
{
	struct igbuio_dev *udev = container_of(info, struct igbuio_dev, info);
	int err = 0;

	mutex_lock(&udev->lock);
	if (udev->removed) {
		err = -ENODEV;
	} else if (!udev->users++) {
		pci_set_master(udev->pdev);
		igbuio_irq_setup(udev);
	}
	mutex_unlock(&udev->lock);
	return err;
}

static void igbuio_quiesce(struct igbuio_dev *udev)
{
	igbuio_irq_teardown(udev);
	/* Stops the device's DMA into memory the application no longer owns. */
	pci_clear_master(udev->pdev);
}

static int igbuio_release(struct uio_info *info, struct inode *inode)
{
	struct igbuio_dev *udev = container_of(info, struct igbuio_dev, info);

	mutex_lock(&udev->lock);
	if (!--udev->users && !udev->removed)
		igbuio_quiesce(udev);
	mutex_unlock(&udev->lock);
	return 0;
}

static ssize_t igbuio_max_vfs_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", pci_num_vf(to_pci_dev(dev)));
}

/* 0 removes the VFs; N creates N of them when there are none. */
static ssize_t igbuio_max_vfs_store(struct device *dev,
				    struct device_attribute *attr,
				    const char *buf, size_t count)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	unsigned int nr;
	int err;

	err = kstrtouint(buf, 0, &nr);
	if (err)
		return err;
	if (!nr) {
		pci_disable_sriov(pdev);
		return count;
	}
	if (pci_num_vf(pdev))
		return -EINVAL;
	err = pci_enable_sriov(pdev, nr);
	return err ? err : count;
}

static struct device_attribute igbuio_attr_max_vfs =
	__ATTR(max_vfs, 0644, igbuio_max_vfs_show, igbuio_max_vfs_store);

static struct attribute *igbuio_attrs[] = {
	&igbuio_attr_max_vfs.attr,
	NULL,
};
ATTRIBUTE_GROUPS(igbuio);

static const char * const igbuio_bar_names[PCI_STD_NUM_BARS] = {
	"BAR0", "BAR1", "BAR2", "BAR3", "BAR4", "BAR5",
};

/*
 * Memory BARs become UIO memory maps, I/O BARs port regions, each in BAR
 * order (so map N is not necessarily BAR N).  The regions are not
 * requested: with CONFIG_IO_STRICT_DEVMEM a busy region cannot be mapped
 * through sysfs resourceN, which is how the EAL maps BARs.
 */
static int igbuio_setup_bars(struct igbuio_dev *udev)
{
	struct pci_dev *pdev = udev->pdev;
	unsigned int nmem = 0, nport = 0;
	int bar;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		resource_size_t start = pci_resource_start(pdev, bar);
		resource_size_t len = pci_resource_len(pdev, bar);
		unsigned long flags = pci_resource_flags(pdev, bar);

		if (!start || !len)
			continue;
		if (flags & IORESOURCE_MEM) {
			struct uio_mem *mem = &udev->info.mem[nmem];

			if (nmem == MAX_UIO_MAPS) {
				dev_warn(&pdev->dev, "more than %d memory BARs, BAR%d not mapped\n",
					 MAX_UIO_MAPS, bar);
				continue;
			}
			mem->name = igbuio_bar_names[bar];
			mem->memtype = UIO_MEM_PHYS;
			/* The UIO core maps whole pages. */
			mem->addr = start & PAGE_MASK;
			mem->offs = start & ~PAGE_MASK;
			mem->size = PAGE_ALIGN(mem->offs + len);
			if (!igbuio_wc_activate) {
				mem->internal_addr = devm_ioremap(&pdev->dev, start, len);
				if (!mem->internal_addr)
					return -ENOMEM;
			}
			nmem++;
		} else if (flags & IORESOURCE_IO) {
			struct uio_port *port = &udev->info.port[nport];

			if (nport == MAX_UIO_PORT_REGIONS) {
				dev_warn(&pdev->dev, "more than %d I/O BARs, BAR%d not mapped\n",
					 MAX_UIO_PORT_REGIONS, bar);
				continue;
			}
			port->name = igbuio_bar_names[bar];
			port->start = start;
			port->size = len;
			port->porttype = IS_ENABLED(CONFIG_X86) ? UIO_PORT_X86 : UIO_PORT_OTHER;
			nport++;
		}
	}
	return nmem + nport ? 0 : -ENOENT;
}

static int igbuio_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct igbuio_dev *udev;
	int err;

	/* A bridge's BARs and interrupts belong to the devices behind it. */
	if (pci_is_bridge(pdev))
		return -ENODEV;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err) {
		dev_err(&pdev->dev, "no 64-bit DMA: %d\n", err);
		return err;
	}

	udev = devm_kzalloc(&pdev->dev, sizeof(*udev), GFP_KERNEL);
	if (!udev)
		return -ENOMEM;
	udev->pdev = pdev;
	mutex_init(&udev->lock);
	udev->mode = IGBUIO_INTR_NONE;
	err = igbuio_setup_bars(udev);
	if (err) {
		dev_err(&pdev->dev, "no usable BAR: %d\n", err);
		return err;
	}

	udev->info.name = IGBUIO_NAME;
	udev->info.version = KNI_VERSION;
	udev->info.irq = UIO_IRQ_NONE;	/* until the first open */
	udev->info.open = igbuio_open;
	udev->info.release = igbuio_release;
	udev->info.irqcontrol = igbuio_irqcontrol;
	pci_set_drvdata(pdev, udev);

	/* Not devm: remove() quiesces the device before it unregisters. */
	err = uio_register_device(&pdev->dev, &udev->info);
	if (err)
		return err;
	dev_info(&pdev->dev, "%s\n", dev_name(&udev->info.uio_dev->dev));
	return 0;
}

static void igbuio_remove(struct pci_dev *pdev)
{
	struct igbuio_dev *udev = pci_get_drvdata(pdev);

	/*
	 * Files still open (unbind or rmmod under a running application):
	 * no interrupt and no DMA from here on, before the UIO device that
	 * the interrupt handler notifies goes away.
	 */
	mutex_lock(&udev->lock);
	udev->removed = true;
	if (udev->users)
		igbuio_quiesce(udev);
	mutex_unlock(&udev->lock);
	uio_unregister_device(&udev->info);
	pci_disable_sriov(pdev);
}

static struct pci_driver igbuio_driver = {
	.name		= IGBUIO_NAME,
	.id_table	= NULL,		/* bound through driver_override / new_id */
	.probe		= igbuio_probe,
	.remove		= igbuio_remove,
#ifndef KNI_COMPAT_NO_PCI_DEV_GROUPS
	.dev_groups	= igbuio_groups,
#else
	.driver		= { .dev_groups = igbuio_groups },
#endif
};
module_pci_driver(igbuio_driver);

MODULE_DESCRIPTION("UIO driver for PCI NICs used by DPDK poll-mode drivers");
MODULE_AUTHOR("rte-kni developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(KNI_VERSION);
